package org.peftharness.tasks.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LLM-Adapters JSON ({@code dataset/<name>/test.json} and {@code ft-training_set/*.json}): a JSON
 * array of {@code {instruction, input, output, answer}}, all strings ({@code input} is usually
 * empty). When the task declares its label set (commonsense: true/false, solution1/2, ...) every
 * {@code answer} must be one of them, so a wrong file for the task is caught on read.
 */
public final class LlmAdaptersReader implements ExampleReader {
  public static final String NAME = "llm-adapters-json";

  private final Set<String> answers;

  /** @param answers allowed gold answers, or an empty set to accept any (math training sets) */
  public LlmAdaptersReader(Set<String> answers) {
    this.answers = Set.copyOf(answers);
  }

  @Override
  public List<Example> read(Path file) {
    List<Example> out = new ArrayList<>();
    for (JsonRecord r : JsonRecords.readArray(file)) {
      String instruction = r.string("instruction");
      String input = r.string("input");
      String output = r.string("output");
      String answer = r.string("answer");
      if (!answers.isEmpty() && !answers.contains(answer)) {
        throw r.error("answer", "'" + Gsm8kReader.abbreviate(answer) + "' is not one of the task's labels " + sorted());
      }
      Map<String, String> inputs = new LinkedHashMap<>();
      inputs.put("instruction", instruction);
      inputs.put("input", input);
      out.add(new Example(r.index(), r.line(), inputs, output, Example.Gold.answer(answer)));
    }
    return out;
  }

  private List<String> sorted() {
    return answers.stream().sorted().toList();
  }
}
