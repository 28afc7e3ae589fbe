package org.peftharness.tasks.metric;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The GLUE and accuracy metrics, with the definitions of scikit-learn / SciPy that the papers'
 * scripts call: {@code matthews_corrcoef} (0 when a marginal is constant), {@code f1_score} of the
 * positive class (0 when it is never predicted nor present), {@code pearsonr}, and
 * {@code spearmanr} (Pearson of tie-averaged ranks).
 */
public final class Metrics {
  private Metrics() {}

  public static double accuracy(int[] gold, int[] pred) {
    sameLength(gold.length, pred.length);
    int ok = 0;
    for (int i = 0; i < gold.length; i++) {
      if (gold[i] == pred[i]) {
        ok++;
      }
    }
    return gold.length == 0 ? Double.NaN : (double) ok / gold.length;
  }

  /** Fraction of true verdicts. */
  public static double accuracy(boolean[] correct) {
    int ok = 0;
    for (boolean c : correct) {
      if (c) {
        ok++;
      }
    }
    return correct.length == 0 ? Double.NaN : (double) ok / correct.length;
  }

  /** F1 of {@code positive}: 2 TP / (2 TP + FP + FN). */
  public static double f1(int[] gold, int[] pred, int positive) {
    sameLength(gold.length, pred.length);
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < gold.length; i++) {
      boolean g = gold[i] == positive;
      boolean p = pred[i] == positive;
      if (g && p) {
        tp++;
      } else if (p) {
        fp++;
      } else if (g) {
        fn++;
      }
    }
    long denom = 2 * tp + fp + fn;
    return denom == 0 ? 0.0 : (2.0 * tp) / denom;
  }

  /** Matthews correlation for any number of classes (scikit-learn's multiclass formula). */
  public static double matthews(int[] gold, int[] pred) {
    sameLength(gold.length, pred.length);
    int k = 0;
    for (int i = 0; i < gold.length; i++) {
      k = Math.max(k, Math.max(gold[i], pred[i]) + 1);
    }
    long[] t = new long[k];
    long[] p = new long[k];
    long correct = 0;
    for (int i = 0; i < gold.length; i++) {
      t[gold[i]]++;
      p[pred[i]]++;
      if (gold[i] == pred[i]) {
        correct++;
      }
    }
    double n = gold.length;
    double tp = 0;
    double pp = 0;
    double tt = 0;
    for (int c = 0; c < k; c++) {
      tp += (double) t[c] * p[c];
      pp += (double) p[c] * p[c];
      tt += (double) t[c] * t[c];
    }
    double covYtYp = correct * n - tp;
    double covYpYp = n * n - pp;
    double covYtYt = n * n - tt;
    if (covYpYp * covYtYt == 0) {
      return 0.0;
    }
    return covYtYp / Math.sqrt(covYtYt * covYpYp);
  }

  public static double pearson(double[] x, double[] y) {
    sameLength(x.length, y.length);
    int n = x.length;
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN; // SciPy returns nan for a constant input
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  public static double spearman(double[] x, double[] y) {
    return pearson(averageRanks(x), averageRanks(y));
  }

  /** 1-based ranks; tied values share the mean of their ranks (SciPy {@code rankdata(method="average")}). */
  public static double[] averageRanks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] ranks = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1.0;
      for (int k = i; k <= j; k++) {
        ranks[order[k]] = avg;
      }
      i = j + 1;
    }
    return ranks;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double d : x) {
      s += d;
    }
    return s / x.length;
  }

  private static void sameLength(int a, int b) {
    if (a != b) {
      throw new IllegalArgumentException("gold has " + a + " values, predictions " + b);
    }
  }
}
