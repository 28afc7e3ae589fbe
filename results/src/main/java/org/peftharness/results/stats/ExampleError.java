package org.peftharness.results.stats;

/**
 * How much one cell's metric could move with another draw of evaluation examples of the same size:
 * the example-level standard error and a 95% interval inside the metric's range.
 *
 * @param value the metric on all the cell's examples
 * @param method how the error was obtained, in words (e.g. "binomial, Wilson interval")
 */
public record ExampleError(double value, double se, double low, double high, int n, String method) {
  /** Normal quantile for a two-sided 95% interval, Φ⁻¹(0.975). */
  public static final double Z95 = 1.959963984540054;

  /**
   * An accuracy of {@code correct} out of {@code n}: SE sqrt(p(1−p)/n), and the Wilson score interval
   * (Wilson 1927; Newcombe 1998, Statistics in Medicine 17:857, method 3), which stays inside [0, 1]
   * and, unlike p ± 1.96 SE, does not collapse to a point at 0 or n correct.
   */
  public static ExampleError binomial(int correct, int n) {
    if (n <= 0 || correct < 0 || correct > n) {
      throw new IllegalArgumentException(correct + " correct out of " + n);
    }
    double p = (double) correct / n;
    double z2 = Z95 * Z95;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = Z95 / denom * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return new ExampleError(p, Math.sqrt(p * (1 - p) / n), Math.max(0, centre - half), Math.min(1, centre + half), n,
        "binomial, Wilson interval");
  }
}
