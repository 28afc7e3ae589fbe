package org.peftharness.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftharness.core.json.JsonDocument;

/**
 * Small files in the papers' original formats, written for tests: MetaMathQA's JSON array of
 * {@code {query, response, type, original_question}}, GSM8K's and MATH's JSON lines, and
 * LLM-Adapters' {@code commonsense_170k.json} and per-set {@code test.json} arrays of
 * {@code {instruction, input, output, answer}}. The contents are arithmetic and yes/no questions;
 * only the layout is the papers'.
 */
final class PaperFiles {
  /** The eight commonsense tasks' evaluation files (as their task specs name them) and a label each record uses. */
  static final Map<String, String> COMMONSENSE = Map.of(
      "commonsense/boolq/test.json", "true",
      "commonsense/piqa/test.json", "solution1",
      "commonsense/social_i_qa/test.json", "answer2",
      "commonsense/hellaswag/test.json", "ending3",
      "commonsense/winogrande/test.json", "option2",
      "commonsense/ARC-Easy/test.json", "answer1",
      "commonsense/ARC-Challenge/test.json", "answer4",
      "commonsense/openbookqa/test.json", "answer3");

  private PaperFiles() {}

  /** {@code metamathqa/MetaMathQA-395K.json} with {@code n} records. */
  static void metaMathQa(Path data, int n) throws IOException {
    ArrayNode all = JsonDocument.MAPPER.createArrayNode();
    for (int i = 0; i < n; i++) {
      int a = 2 + i % 7;
      int b = 3 + i % 5;
      String q = "Tom has " + a + " apples and buys " + b + " more. How many apples does he have?";
      all.addObject().put("query", q)
          .put("response", "He has " + a + " + " + b + " = " + (a + b) + " apples.\nThe answer is: " + (a + b))
          .put("type", i % 2 == 0 ? "GSM_Rephrased" : "MATH_AnsAug").put("original_question", q);
    }
    write(data.resolve("metamathqa/MetaMathQA-395K.json"), all);
  }

  /** GSM8K's {@code gsm8k/test.jsonl} and MATH's {@code math/test5000/test.jsonl}, {@code n} problems each. */
  static void gsm8kAndMath(Path data, int n) throws IOException {
    List<String> gsm = new ArrayList<>();
    List<String> math = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = 4 + i;
      int b = 5 + 2 * i;
      gsm.add(JsonDocument.MAPPER.createObjectNode().put("question", "Ann has " + a + " pens and gets " + b + " more. How many pens?")
          .put("answer", a + " + " + b + " = <<" + a + "+" + b + "=" + (a + b) + ">>" + (a + b) + "\n#### " + (a + b)).toString());
      math.add(JsonDocument.MAPPER.createObjectNode().put("problem", "Compute $" + a + "+" + b + "$.")
          .put("solution", "$" + a + "+" + b + "=\\boxed{" + (a + b) + "}$").put("level", "Level 1").put("type", "Prealgebra")
          .toString());
    }
    lines(data.resolve("gsm8k/test.jsonl"), gsm);
    lines(data.resolve("math/test5000/test.jsonl"), math);
  }

  /** {@code llm_adapters_train/commonsense_170k.json} ({@code n} records) and the eight sets' {@code test.json} ({@code m} each). */
  static void commonsense(Path data, int n, int m) throws IOException {
    List<Map.Entry<String, String>> sets = new ArrayList<>(COMMONSENSE.entrySet());
    sets.sort(Map.Entry.comparingByKey());
    ArrayNode train = JsonDocument.MAPPER.createArrayNode();
    for (int i = 0; i < n; i++) {
      String label = sets.get(i % sets.size()).getValue();
      record(train, "Question " + i + ": pick the right option.", label);
    }
    write(data.resolve("llm_adapters_train/commonsense_170k.json"), train);
    for (Map.Entry<String, String> s : sets) {
      ArrayNode test = JsonDocument.MAPPER.createArrayNode();
      for (int i = 0; i < m; i++) {
        record(test, "Test question " + i + ": pick the right option.", s.getValue());
      }
      write(data.resolve(s.getKey()), test);
    }
  }

  private static void record(ArrayNode to, String instruction, String label) {
    ObjectNode r = to.addObject();
    r.put("instruction", instruction).put("input", "").put("output", "the correct answer is " + label).put("answer", label);
  }

  private static void write(Path file, ArrayNode json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
  }

  private static void lines(Path file, List<String> lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }
}
