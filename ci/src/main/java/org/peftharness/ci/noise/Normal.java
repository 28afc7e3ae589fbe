package org.peftharness.ci.noise;

/**
 * The standard normal distribution's CDF and quantile, for the critical value of a noise band
 * whose standard error has no estimated part (then no Student t applies). Written out for the
 * same reason as {@code results/.../stats/StudentT}: one function, numbers that never move.
 */
final class Normal {
  private Normal() {}

  /**
   * Φ(x) by Marsaglia's Taylor series Φ(x) = 1/2 + φ(x)(x + x³/3 + x⁵/(3·5) + ...) (G. Marsaglia,
   * "Evaluating the Normal Distribution", Journal of Statistical Software 11(4), 2004, function
   * Phi): absolute error below 1e-15, and for the |x| < 9 a confidence level can ask for the
   * terms stay far from overflow.
   */
  static double cdf(double x) {
    if (x < -9) {
      return 0;
    }
    if (x > 9) {
      return 1;
    }
    double sum = x;
    double previous = 0;
    double term = x;
    double q = x * x;
    for (int i = 1; sum != previous; ) {
      previous = sum;
      i += 2;
      term *= q / i;
      sum += term;
    }
    // 0.918938... = ln sqrt(2π), so the factor is φ(x)
    return 0.5 + sum * Math.exp(-0.5 * q - 0.91893853320467274178);
  }

  /** The x with Φ(x) = p, 0 < p < 1, by bisection to the last bits of a double. */
  static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1): " + p);
    }
    if (p < 0.5) {
      return -quantile(1 - p);
    }
    double lo = 0;
    double hi = 9;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
      double mid = (lo + hi) / 2;
      if (cdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
