package org.peftharness.tasks.score;

import java.math.BigDecimal;

/** Number parsing as the Python reference code does it ({@code float(s)}), shared by the protocols. */
final class Numbers {
  private Numbers() {}

  /** Python {@code float(s)} for the decimal forms the extraction regexes can produce; null if not a number. */
  static Double pyFloat(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return null;
    }
    return Double.parseDouble(t);
  }

  /** Python's {@code round(x)}: to the nearest integer, ties to even. */
  static double pyRound(double x) {
    return Math.rint(x);
  }

  /** Exact decimal value, for comparisons that must not suffer binary rounding ("0.1" vs "0.10"). */
  static BigDecimal decimal(String s) {
    try {
      return new BigDecimal(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
