package org.peftharness.results.stats;

import java.util.Arrays;

/**
 * Summary of one cell group's metric over seeds: mean, sample standard deviation (n - 1), median,
 * and the two-sided 95% confidence interval of the mean from Student's t with n - 1 degrees of
 * freedom, intersected with the metric's {@link MetricRange} when one is given (see there why).
 * With a single seed the spread is unknown: std and the interval are NaN, never zero.
 */
public record SeedStats(int n, double mean, double std, double median, double ciLow, double ciHigh, double min, double max) {
  public static final double CONFIDENCE = 0.95;

  /** Over an unbounded metric: the interval is Student's t as it is. */
  public static SeedStats of(double... values) {
    return of(MetricRange.UNBOUNDED, values);
  }

  /** The interval cut at the ends of {@code range}. */
  public static SeedStats of(MetricRange range, double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    int n = values.length;
    double[] v = values.clone();
    Arrays.sort(v);
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    double mean = sum / n;
    double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    if (n < 2) {
      return new SeedStats(n, mean, Double.NaN, median, Double.NaN, Double.NaN, v[0], v[n - 1]);
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double std = Math.sqrt(ss / (n - 1));
    double half = StudentT.quantile(1 - (1 - CONFIDENCE) / 2, n - 1) * std / Math.sqrt(n);
    return new SeedStats(n, mean, std, median, range.clamp(mean - half), range.clamp(mean + half), v[0], v[n - 1]);
  }

  public boolean hasSpread() {
    return n >= 2;
  }

  /** Half the width of the confidence interval (NaN with one seed). */
  public double halfWidth() {
    return (ciHigh - ciLow) / 2;
  }

  /** Whether the two confidence intervals share any point; false when either has no interval. */
  public boolean ciOverlaps(SeedStats other) {
    if (!hasSpread() || !other.hasSpread()) {
      return false;
    }
    return ciLow <= other.ciHigh && other.ciLow <= ciHigh;
  }
}
