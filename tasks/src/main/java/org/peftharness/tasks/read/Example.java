package org.peftharness.tasks.read;

import java.util.Map;
import java.util.Objects;

/**
 * One record of a dataset file, whatever its original format.
 *
 * @param index 0-based position of the record in its file (the {@code index} predictions refer to)
 * @param line 1-based line where the record starts in the file (for messages)
 * @param inputs the text fields a prompt or an encoder consumes, by name (e.g. {@code question},
 *     {@code instruction}, {@code text}, {@code text_pair}), in the file's field order
 * @param target the reference output a generator is trained on (GSM8K rationale, MATH solution,
 *     LLM-Adapters {@code output}); null for classification and regression
 * @param gold what an answer is judged against
 */
public record Example(int index, int line, Map<String, String> inputs, String target, Gold gold) {
  public Example {
    inputs = Map.copyOf(Objects.requireNonNull(inputs, "inputs"));
    Objects.requireNonNull(gold, "gold");
  }

  /** An input field; throws if the reader did not set it (a spec/template mismatch, a bug). */
  public String input(String name) {
    String v = inputs.get(name);
    if (v == null) {
      throw new IllegalStateException("example " + index + " has no input '" + name + "'; it has " + inputs.keySet());
    }
    return v;
  }

  /**
   * The gold side of an example: exactly one of an answer string (generation), a label index
   * (classification) or a score (regression).
   */
  public record Gold(String answer, int label, double score) {
    public static Gold answer(String answer) {
      return new Gold(Objects.requireNonNull(answer, "answer"), -1, Double.NaN);
    }

    public static Gold label(int label) {
      return new Gold(null, label, Double.NaN);
    }

    public static Gold score(double score) {
      return new Gold(null, -1, score);
    }

    /** For training-only sets where the answer cannot be derived (never used for scoring). */
    public static Gold none() {
      return new Gold(null, -1, Double.NaN);
    }

    public boolean hasAnswer() {
      return answer != null;
    }
  }
}
