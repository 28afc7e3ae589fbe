package org.peftharness.results.stats;

/**
 * Student's t distribution: the CDF through the regularised incomplete beta function and its
 * quantile by bisection. Written out rather than pulled from a statistics library because the
 * report needs only this one function, and results must not move when a dependency changes.
 */
public final class StudentT {
  private StudentT() {}

  /** P(T <= t) for T with {@code df} degrees of freedom. */
  public static double cdf(double t, double df) {
    if (df <= 0) {
      throw new IllegalArgumentException("df must be positive: " + df);
    }
    double x = df / (df + t * t);
    double tail = 0.5 * regularizedBeta(x, df / 2, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /** The t with P(T <= t) = p, 0 < p < 1; e.g. {@code quantile(0.975, 1) = 12.7062...}. */
  public static double quantile(double p, double df) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1): " + p);
    }
    if (p < 0.5) {
      return -quantile(1 - p, df);
    }
    double lo = 0;
    double hi = 1;
    while (cdf(hi, df) < p) {
      hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
      double mid = (lo + hi) / 2;
      if (cdf(mid, df) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** I_x(a, b), by the continued fraction (Numerical Recipes 6.4), using the symmetry for x > (a+1)/(a+b+2). */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaContinuedFraction(x, a, b) / a;
    }
    return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
  }

  private static double betaContinuedFraction(double x, double a, double b) {
    final double tiny = 1e-300;
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= 10_000; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + aa / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-16) {
        break;
      }
    }
    return h;
  }

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
  static double logGamma(double x) {
    final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double sum = c[0];
    for (int i = 1; i < 9; i++) {
      sum += c[i] / (x + i);
    }
    double t = x + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
