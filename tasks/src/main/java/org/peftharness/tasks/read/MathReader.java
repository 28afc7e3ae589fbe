package org.peftharness.tasks.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.tasks.score.Boxed;

/**
 * Hendrycks MATH JSONL in its two public layouts:
 *
 * <ul>
 *   <li>{@link Layout#BOXED_SOLUTION}: the 5,000-problem test file ({@code problem, level, type,
 *       solution, idx}); the gold answer is the content of the last {@code \boxed{}} (or
 *       {@code \fbox{}}) in {@code solution}, as Hendrycks' own evaluation takes it;
 *   <li>{@link Layout#ANSWER_FIELD}: MATH-500 ({@code problem, solution, answer, subject, level,
 *       unique_id}); the gold answer is the {@code answer} field.
 * </ul>
 *
 * The layout is declared by the task, not guessed per record: a MATH-500 file with a record that
 * lacks {@code answer} is an error, not a silent switch to the other rule.
 */
public final class MathReader implements ExampleReader {
  public static final String NAME = "math-jsonl";

  public enum Layout {
    BOXED_SOLUTION,
    ANSWER_FIELD
  }

  private final Layout layout;

  public MathReader(Layout layout) {
    this.layout = layout;
  }

  @Override
  public List<Example> read(Path file) {
    List<Example> out = new ArrayList<>();
    for (JsonRecord r : JsonRecords.readJsonl(file)) {
      String problem = r.string("problem");
      String solution = r.string("solution");
      String gold;
      if (layout == Layout.ANSWER_FIELD) {
        gold = r.string("answer");
      } else {
        gold = Boxed.lastBoxedContent(solution);
        if (gold == null) {
          throw r.error("solution", "no \\boxed{...} answer in the solution");
        }
      }
      Map<String, String> inputs = new LinkedHashMap<>();
      inputs.put("problem", problem);
      out.add(new Example(r.index(), r.line(), inputs, solution, Example.Gold.answer(gold)));
    }
    return out;
  }
}
