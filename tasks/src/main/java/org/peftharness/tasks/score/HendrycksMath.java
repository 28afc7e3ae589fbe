package org.peftharness.tasks.score;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Hendrycks' MATH answer equivalence ({@code is_equiv} with {@code _strip_string} from the MATH
 * repository's {@code math_equivalence.py}), ported step by step, including its quirks: a step
 * that raises in Python (e.g. {@code "\frac"} with nothing after it, two {@code "\text{ "} units,
 * {@code "a/b"} with non-integers) makes {@code is_equiv} fall back to comparing the raw strings,
 * so {@link #strip} throws {@link NotNormalizable} in the same places.
 */
public final class HendrycksMath {
  private HendrycksMath() {}

  /** Where Python's {@code _strip_string} would raise. */
  public static final class NotNormalizable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotNormalizable(String why) {
      super(why, null, false, false);
    }
  }

  /** {@code is_equiv(a, b)}: normalised strings equal, or raw strings equal if normalising fails. */
  public static boolean isEquiv(String a, String b) {
    if (a == null || b == null) {
      return false; // the original returns True for two Nones; a missing answer is never right here
    }
    try {
      return strip(a).equals(strip(b));
    } catch (NotNormalizable e) {
      return a.equals(b);
    }
  }

  /** {@code _strip_string}. */
  public static String strip(String s) {
    s = s.replace("\n", "");
    s = s.replace("\\!", "");
    s = s.replace("\\\\", "\\");
    s = s.replace("tfrac", "frac");
    s = s.replace("dfrac", "frac");
    s = s.replace("\\left", "");
    s = s.replace("\\right", "");
    s = s.replace("^{\\circ}", "");
    s = s.replace("^\\circ", "");
    s = s.replace("\\$", "");
    s = removeRightUnits(s);
    s = s.replace("\\%", "");
    s = s.replace(" .", " 0.");
    s = s.replace("{.", "{0.");
    if (s.isEmpty()) {
      return s;
    }
    if (s.charAt(0) == '.') {
      s = "0" + s;
    }
    // "k = 3" -> "3" when the left side is at most two characters
    String[] eq = pySplit(s, "=");
    if (eq.length == 2 && eq[0].length() <= 2) {
      s = eq[1];
    }
    s = fixSqrt(s);
    s = s.replace(" ", "");
    s = fixFracs(s);
    if (s.equals("0.5")) {
      s = "\\frac{1}{2}";
    }
    s = fixASlashB(s);
    return s;
  }

  /** Python's {@code str.split(sep)}: keeps empty pieces at both ends. */
  static String[] pySplit(String s, String sep) {
    return s.split(Pattern.quote(sep), -1);
  }

  private static String removeRightUnits(String s) {
    // "\text{ " only ever occurs (in MATH) when describing units
    if (s.contains("\\text{ ")) {
      String[] parts = pySplit(s, "\\text{ ");
      if (parts.length != 2) {
        throw new NotNormalizable("more than one '\\text{ '");
      }
      return parts[0];
    }
    return s;
  }

  private static String fixSqrt(String s) {
    if (!s.contains("\\sqrt")) {
      return s;
    }
    String[] parts = pySplit(s, "\\sqrt");
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) {
        throw new NotNormalizable("'\\sqrt' at the end");
      }
      if (p.charAt(0) != '{') {
        out.append("\\sqrt{").append(p.charAt(0)).append('}').append(p.substring(1));
      } else {
        out.append("\\sqrt").append(p);
      }
    }
    return out.toString();
  }

  private static String fixFracs(String s) {
    String[] parts = pySplit(s, "\\frac");
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      out.append("\\frac");
      if (p.isEmpty()) {
        throw new NotNormalizable("'\\frac' at the end");
      }
      if (p.charAt(0) == '{') {
        out.append(p);
        continue;
      }
      if (p.length() < 2) {
        return s; // the original returns the string unchanged here
      }
      char a = p.charAt(0);
      char b = p.charAt(1);
      String post = p.substring(2);
      if (b != '{') {
        out.append('{').append(a).append("}{").append(b).append('}').append(post);
      } else {
        out.append('{').append(a).append('}').append(b).append(post);
      }
    }
    return out.toString();
  }

  private static final Pattern PY_INT = Pattern.compile("\\s*[+-]?\\d+\\s*");

  private static String fixASlashB(String s) {
    String[] parts = pySplit(s, "/");
    if (parts.length != 2) {
      return s;
    }
    // int(a) raises ValueError for a non-integer, which the original does not catch
    if (!PY_INT.matcher(parts[0]).matches() || !PY_INT.matcher(parts[1]).matches()) {
      throw new NotNormalizable("a/b with a non-integer side");
    }
    BigInteger a = new BigInteger(parts[0].strip().replace("+", ""));
    BigInteger b = new BigInteger(parts[1].strip().replace("+", ""));
    if (!s.equals(a + "/" + b)) {
      return s;
    }
    return "\\frac{" + a + "}{" + b + "}";
  }
}
