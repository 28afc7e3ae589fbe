package org.peftharness.results.stats;

import java.util.Arrays;
import java.util.Random;

/**
 * The nonparametric bootstrap over evaluation examples (Efron and Tibshirani 1993, ch. 6 and 13):
 * {@link #RESAMPLES} resamples of n examples drawn with replacement, the standard error as the
 * resamples' standard deviation and the 95% interval as their 2.5th and 97.5th percentiles. The
 * random stream is {@link Random} with the fixed {@link #SEED}: its algorithm is specified by the
 * JDK, so a report's numbers never change between runs or machines. Resamples on which the metric
 * is undefined (NaN) are left out and counted.
 */
public final class Bootstrap {
  public static final int RESAMPLES = 1000;
  public static final long SEED = 20_260_801L;

  private Bootstrap() {}

  /** "bootstrap over examples, 1000 resamples, seed 20260801": how a report names the method. */
  public static String description() {
    return "bootstrap over examples, " + RESAMPLES + " resamples, seed " + SEED;
  }

  /** The example-level error of a metric other than accuracy on one cell's {@code n} examples. */
  public static ExampleError error(int n, ResampledMetric metric, MetricRange range) {
    if (n <= 0) {
      throw new IllegalArgumentException("no examples");
    }
    double observed = metric.value(ResampledMetric.all(n));
    Random rng = new Random(SEED);
    double[] reps = new double[RESAMPLES];
    int kept = 0;
    int[] positions = new int[n];
    for (int b = 0; b < RESAMPLES; b++) {
      draw(rng, positions, n);
      double v = metric.value(positions);
      if (!Double.isNaN(v)) {
        reps[kept++] = v;
      }
    }
    double[] used = Arrays.copyOf(reps, kept);
    String how = description() + (kept < RESAMPLES ? " (" + (RESAMPLES - kept) + " undefined left out)" : "");
    if (kept < 2) {
      return new ExampleError(observed, Double.NaN, Double.NaN, Double.NaN, n, how);
    }
    Arrays.sort(used);
    return new ExampleError(observed, sd(used), range.clamp(percentile(used, 0.025)), range.clamp(percentile(used, 0.975)),
        n, how);
  }

  /** Fills {@code positions} with n draws from 0..n−1 with replacement. */
  static void draw(Random rng, int[] positions, int n) {
    for (int i = 0; i < positions.length; i++) {
      positions[i] = rng.nextInt(n);
    }
  }

  /** Sample standard deviation (n − 1). */
  static double sd(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / (v.length - 1));
  }

  /**
   * The q-quantile of sorted values by linear interpolation between order statistics (Hyndman and
   * Fan 1996 definition 7, NumPy's default), so the same resamples give NumPy's percentile.
   */
  static double percentile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
