package org.peftharness.ci.noise;

/**
 * One cell's example-level standard error: how much its metric could move with another draw of as
 * many evaluation examples. On the harness's scale (results.csv units).
 *
 * @param examples the examples it rests on
 * @param how the method in words ("binomial, Wilson interval", "bootstrap over examples, ...")
 * @param notFromVerdicts why the cell's per-example verdicts were not used, when the SE came from
 *     the row's value and example count instead; null when it came from the verdicts
 */
public record ExampleNoise(double se, int examples, String how, String notFromVerdicts) {
  /**
   * The binomial SE sqrt(p(1-p)/n) of an accuracy p on n examples, from a results.csv row alone:
   * the fallback when the cell's verdicts cannot be used. It equals what the verdicts give
   * ({@code ExampleError.binomial}) whenever the row's value is the verdicts' accuracy.
   */
  public static ExampleNoise binomial(double accuracy, int n, String whyNotVerdicts) {
    return new ExampleNoise(Math.sqrt(accuracy * (1 - accuracy) / n), n, "binomial from the row's value and n",
        whyNotVerdicts);
  }

  public boolean fromVerdicts() {
    return notFromVerdicts == null;
  }
}
