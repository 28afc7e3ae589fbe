package org.peftharness.tasks.score;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MATH answer rules: Hendrycks' boxed exact match, a numeric-equivalence variant, and PiSSA's "The answer is". */
public final class MathProtocols {
  private MathProtocols() {}

  public static List<Protocol> all() {
    return List.of(BOXED, BOXED_NUMERIC, PISSA_MATH);
  }

  /** Hendrycks: last {@code \boxed{}} of the output, {@code is_equiv} with the gold answer. */
  public static final Protocol BOXED =
      new Gsm8kProtocols.Simple("boxed", 1, "Hendrycks MATH: last \\boxed{} (nested braces), is_equiv after strip_string") {
        @Override
        public Verdict judge(String output, String gold) {
          String got = Boxed.lastBoxedContent(output);
          if (got == null) {
            return Verdict.noAnswer();
          }
          return new Verdict(HendrycksMath.isEquiv(got, gold), got);
        }
      };

  /**
   * As {@link #BOXED}, and also correct when both normalised answers are plain numbers (integer,
   * decimal, {@code \frac{a}{b}}, {@code a/b}, optionally negative) with equal values to 1e-9
   * relative: {@code 0.25} and {@code \frac{1}{4}} agree here but not under {@code boxed}.
   */
  public static final Protocol BOXED_NUMERIC =
      new Gsm8kProtocols.Simple("boxed-numeric", 1, "last \\boxed{}: is_equiv, or equal numeric values (decimals, fractions) to rel. 1e-9") {
        @Override
        public Verdict judge(String output, String gold) {
          String got = Boxed.lastBoxedContent(output);
          if (got == null) {
            return Verdict.noAnswer();
          }
          if (HendrycksMath.isEquiv(got, gold)) {
            return new Verdict(true, got);
          }
          Double a = numericValue(got);
          Double b = numericValue(gold);
          boolean ok = a != null && b != null && Math.abs(a - b) <= 1e-9 * Math.max(1.0, Math.abs(b));
          return new Verdict(ok, got);
        }
      };

  private static final Pattern FRAC = Pattern.compile("(-?)\\\\frac\\{(-?\\d+(?:\\.\\d+)?)\\}\\{(-?\\d+(?:\\.\\d+)?)\\}");
  private static final Pattern SLASH = Pattern.compile("(-?\\d+(?:\\.\\d+)?)/(-?\\d+(?:\\.\\d+)?)");
  private static final Pattern PLAIN = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)");

  /** The value of a normalised answer that is just a number or a simple fraction, else null. */
  static Double numericValue(String answer) {
    String s;
    try {
      s = HendrycksMath.strip(answer);
    } catch (HendrycksMath.NotNormalizable e) {
      s = answer.strip();
    }
    s = s.replace(",", "").replace("{", "{").strip();
    if (PLAIN.matcher(s).matches()) {
      return Double.parseDouble(s);
    }
    Matcher m = FRAC.matcher(s);
    if (m.matches()) {
      double v = Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(3));
      return m.group(1).isEmpty() ? v : -v;
    }
    m = SLASH.matcher(s);
    if (m.matches()) {
      return Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2));
    }
    return null;
  }

  /**
   * PiSSA (MetaMath {@code eval_math.py process_results}): the text after the last "The answer is:
   * " up to the first ".\n", stripped, one final "." dropped, then {@code is_equiv}.
   */
  public static final Protocol PISSA_MATH =
      new Gsm8kProtocols.Simple("pissa-math", 1, "PiSSA/MetaMath eval_math.py: text after the last 'The answer is: ' (to '.\\n', final '.' dropped), is_equiv") {
        @Override
        public Verdict judge(String output, String gold) {
          int at = output.lastIndexOf(Gsm8kProtocols.ANSWER_IS);
          if (at < 0) {
            return Verdict.noAnswer();
          }
          String ans = output.substring(at + Gsm8kProtocols.ANSWER_IS.length());
          int stop = ans.indexOf(".\n");
          if (stop >= 0) {
            ans = ans.substring(0, stop);
          }
          ans = ans.strip();
          if (!ans.isEmpty() && ans.charAt(ans.length() - 1) == '.') {
            ans = ans.substring(0, ans.length() - 1);
          }
          ans = ans.strip();
          return new Verdict(HendrycksMath.isEquiv(ans, gold), ans);
        }
      };
}
