package org.peftharness.reports.stats;

import java.util.HashMap;
import java.util.Map;
import org.peftharness.results.stats.Bootstrap;
import org.peftharness.results.stats.ExampleError;
import org.peftharness.results.stats.MetricRange;
import org.peftharness.results.stats.ResampledMetric;
import org.peftharness.tasks.metric.Metrics;

/**
 * One cell's outcome per evaluation example for one metric, in the order of the example indices:
 * a verdict (accuracy), gold and predicted labels (F1, MCC) or gold and predicted scores (Pearson,
 * Spearman). The metric is recomputed with the scorer's own {@link Metrics}, so on all examples it
 * gives the number results.csv holds, and on a resample what the scorer would have said of it.
 */
public final class ExampleValues implements ResampledMetric {
  private final String metric;
  private final int[] index;
  private final boolean[] correct;
  private final double[] gold;
  private final double[] predicted;

  /** @param correct the verdicts for accuracy, else null; gold and predicted the labels or scores, else null */
  ExampleValues(String metric, int[] index, boolean[] correct, double[] gold, double[] predicted) {
    this.metric = metric;
    this.index = index;
    this.correct = correct;
    this.gold = gold;
    this.predicted = predicted;
  }

  public int size() {
    return index.length;
  }

  public int[] indices() {
    return index.clone();
  }

  /** The verdicts, aligned with {@link #indices()}; null for a metric that is not an accuracy. */
  public boolean[] correct() {
    return correct == null ? null : correct.clone();
  }

  public boolean isAccuracy() {
    return correct != null;
  }

  @Override
  public double value(int[] positions) {
    if (correct != null) {
      int ok = 0;
      for (int p : positions) {
        ok += correct[p] ? 1 : 0;
      }
      return positions.length == 0 ? Double.NaN : (double) ok / positions.length;
    }
    return switch (metric) {
      case "f1" -> Metrics.f1(labels(gold, positions), labels(predicted, positions), 1);
      case "mcc" -> Metrics.matthews(labels(gold, positions), labels(predicted, positions));
      case "pearson" -> Metrics.pearson(scores(gold, positions), scores(predicted, positions));
      case "spearman" -> Metrics.spearman(scores(gold, positions), scores(predicted, positions));
      default -> throw new IllegalStateException("no per-example form of " + metric);
    };
  }

  /** The example-level error: binomial with the Wilson interval for an accuracy, else the bootstrap over examples. */
  public ExampleError error() {
    if (correct != null) {
      int ok = 0;
      for (boolean c : correct) {
        ok += c ? 1 : 0;
      }
      return ExampleError.binomial(ok, correct.length);
    }
    return Bootstrap.error(size(), this, MetricRange.of(metric));
  }

  /** These values on the given example indices only, in their order; every index must be present. */
  public ExampleValues restrict(int[] indices) {
    Map<Integer, Integer> at = new HashMap<>();
    for (int i = 0; i < index.length; i++) {
      at.put(index[i], i);
    }
    int[] pos = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      Integer p = at.get(indices[i]);
      if (p == null) {
        throw new IllegalArgumentException("example " + indices[i] + " is not among this cell's");
      }
      pos[i] = p;
    }
    boolean[] c = null;
    if (correct != null) {
      c = new boolean[pos.length];
      for (int i = 0; i < pos.length; i++) {
        c[i] = correct[pos[i]];
      }
    }
    return new ExampleValues(metric, indices.clone(), c, gold == null ? null : scores(gold, pos),
        predicted == null ? null : scores(predicted, pos));
  }

  private static int[] labels(double[] v, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = (int) v[positions[i]];
    }
    return out;
  }

  private static double[] scores(double[] v, int[] positions) {
    double[] out = new double[positions.length];
    for (int i = 0; i < positions.length; i++) {
      out[i] = v[positions[i]];
    }
    return out;
  }
}
