package org.peftharness.tasks.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MetaMathQA ({@code MetaMathQA-395K.json}): a JSON array of {@code {query, response, type,
 * original_question}}. Only {@code query} and {@code response} are required (the LoRA-SB and PiSSA
 * training code reads only those). Responses end in {@code "The answer is: X"}; X becomes the gold
 * answer when present. It is a training set, so a response without that marker is accepted.
 * {@code type} ({@code GSM_Rephrased}, {@code MATH_AnsAug}, ...) is kept as an input when present:
 * LoRA-GA trains only on the GSM-derived records (LoRA-GA examples/data.py L361-364).
 */
public final class MetaMathReader implements ExampleReader {
  public static final String NAME = "metamath-json";
  private static final String MARKER = "The answer is: ";

  @Override
  public List<Example> read(Path file) {
    List<Example> out = new ArrayList<>();
    for (JsonRecord r : JsonRecords.readArray(file)) {
      String query = r.string("query");
      String response = r.string("response");
      int at = response.lastIndexOf(MARKER);
      Example.Gold gold =
          at < 0 ? Example.Gold.none() : Example.Gold.answer(response.substring(at + MARKER.length()).strip());
      Map<String, String> inputs = new LinkedHashMap<>();
      inputs.put("query", query);
      if (r.has("type")) {
        inputs.put("type", r.string("type"));
      }
      out.add(new Example(r.index(), r.line(), inputs, response, gold));
    }
    return out;
  }
}
