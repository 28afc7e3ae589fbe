package org.peftharness.results.stats;

import java.util.Locale;

/**
 * The values a metric can take. Confidence intervals are intersected with it: a Student-t interval
 * of a mean over two seeds can reach past 1 for an accuracy, and cutting it at the range loses no
 * coverage, because the true mean lies inside the range. Intersecting was chosen over a transformed
 * scale (logit for proportions, Fisher z for correlations) because those are undefined at the
 * bounds, which a small or easy evaluation set reaches (accuracy 1.0 on every seed), and because
 * the intersected interval keeps the centre the table prints.
 */
public record MetricRange(double low, double high) {
  public static final MetricRange UNIT = new MetricRange(0, 1);
  public static final MetricRange CORRELATION = new MetricRange(-1, 1);
  public static final MetricRange UNBOUNDED = new MetricRange(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

  /** By the metric's id as results.csv names it: proportions in [0, 1], correlations in [-1, 1], anything else unbounded. */
  public static MetricRange of(String metric) {
    return switch (metric == null ? "" : metric.toLowerCase(Locale.ROOT)) {
      case "accuracy", "f1" -> UNIT;
      case "mcc", "pearson", "spearman" -> CORRELATION;
      default -> UNBOUNDED;
    };
  }

  /** {@code v} moved into the range; NaN stays NaN. */
  public double clamp(double v) {
    return Double.isNaN(v) ? v : Math.max(low, Math.min(high, v));
  }
}
