package org.peftharness.results.stats;

/**
 * A metric computed on a multiset of one cell's evaluation examples, given by their positions
 * (0..n−1, repeats allowed): what a bootstrap evaluates once per resample. Returns NaN where the
 * metric is undefined on that sample (a Pearson correlation of a constant).
 */
@FunctionalInterface
public interface ResampledMetric {
  double value(int[] positions);

  /** The positions 0..n−1 once each: the metric on the cell's own examples. */
  static int[] all(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }
}
