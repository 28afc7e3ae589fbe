package org.peftharness.results.stats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * McNemar's test of two classifiers on the same examples, in its exact form: of the discordant
 * examples, {@code b} only A got right and {@code c} only B got right; under "A and B are equally
 * accurate" each discordant example is A's with probability 1/2, so b ~ Binomial(b + c, 1/2) and
 * the two-sided p-value is min(1, 2 P(X ≤ min(b, c))) (Agresti 2013, Categorical Data Analysis
 * §11.1.3; SciPy's {@code binomtest(b, b + c).pvalue}). The exact form is used rather than the
 * chi-square with continuity correction, which is poor for the few discordant pairs a small
 * evaluation set has.
 */
public record McNemar(int b, int c, double p) {

  public static McNemar exact(int b, int c) {
    if (b < 0 || c < 0) {
      throw new IllegalArgumentException("negative count: b=" + b + ", c=" + c);
    }
    int n = b + c;
    if (n == 0) {
      return new McNemar(0, 0, 1);
    }
    int k = Math.min(b, c);
    // 2 P(X <= k) = sum of C(n, i) for i <= k over 2^(n-1), in integers: exact, and no
    // underflowing 2^-n when an evaluation set has thousands of discordant examples
    BigInteger choose = BigInteger.ONE;
    BigInteger sum = BigInteger.ONE;
    for (int i = 1; i <= k; i++) {
      choose = choose.multiply(BigInteger.valueOf(n - i + 1)).divide(BigInteger.valueOf(i));
      sum = sum.add(choose);
    }
    double p = new BigDecimal(sum).divide(new BigDecimal(BigInteger.ONE.shiftLeft(n - 1)), MathContext.DECIMAL64).doubleValue();
    return new McNemar(b, c, Math.min(1, p));
  }

  /** Counts the discordant examples of two aligned verdict arrays (A correct, B not: b; the reverse: c). */
  public static McNemar of(boolean[] a, boolean[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(a.length + " verdicts against " + b.length);
    }
    int onlyA = 0;
    int onlyB = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] && !b[i]) {
        onlyA++;
      } else if (b[i] && !a[i]) {
        onlyB++;
      }
    }
    return exact(onlyA, onlyB);
  }
}
