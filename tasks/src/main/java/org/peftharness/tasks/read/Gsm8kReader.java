package org.peftharness.tasks.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GSM8K JSONL ({@code openai/grade-school-math}): {@code question}, {@code answer} = rationale with
 * {@code <<calc>>} annotations ending in {@code "\n#### N"}. The gold answer is N with thousands
 * separators removed (as lm-eval's {@code regexes_to_ignore: [","]} does).
 */
public final class Gsm8kReader implements ExampleReader {
  public static final String NAME = "gsm8k-jsonl";

  @Override
  public List<Example> read(Path file) {
    List<Example> out = new ArrayList<>();
    for (JsonRecord r : JsonRecords.readJsonl(file)) {
      String question = r.string("question");
      String answer = r.string("answer");
      int hash = answer.lastIndexOf("####");
      if (hash < 0) {
        throw r.error("answer", "answer does not end in '#### <number>'");
      }
      String gold = answer.substring(hash + 4).strip().replace(",", "");
      if (!gold.matches("-?\\d+(\\.\\d+)?")) {
        throw r.error("answer", "the text after '####' is not a number: '" + abbreviate(gold) + "'");
      }
      Map<String, String> inputs = new LinkedHashMap<>();
      inputs.put("question", question);
      out.add(new Example(r.index(), r.line(), inputs, answer, Example.Gold.answer(gold)));
    }
    return out;
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
