package org.peftharness.tasks.score;

/**
 * One line of a predictions file: the generated {@code output}, or a class {@code label} index,
 * or a regression {@code score}; exactly one is set.
 */
public record Prediction(int index, int line, String output, int label, double score) {
  public static Prediction output(int index, String text) {
    return new Prediction(index, 0, text, -1, Double.NaN);
  }

  public static Prediction label(int index, int label) {
    return new Prediction(index, 0, null, label, Double.NaN);
  }

  public static Prediction score(int index, double score) {
    return new Prediction(index, 0, null, -1, score);
  }
}
