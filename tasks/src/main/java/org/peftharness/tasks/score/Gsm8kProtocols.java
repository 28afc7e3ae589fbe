package org.peftharness.tasks.score;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GSM8K answer rules in use: lm-eval's two pipelines and the four paper repositories' own
 * scorers, which disagree with each other (each rule below cites the file it follows). The gold answer is the number
 * after {@code ####} in the GSM8K {@code answer} field, commas removed.
 */
public final class Gsm8kProtocols {
  private Gsm8kProtocols() {}

  public static List<Protocol> all() {
    return List.of(STRICT, FLEXIBLE, LLM_ADAPTERS, LORAGA, PISSA, LORASB);
  }

  /** lm-eval's {@code exact_match} normalisation: regexes_to_ignore {@code , \$ (?s).*#### \.$}, ignore_case. */
  static String lmEvalNormalize(String s) {
    s = s.replace(",", "").replace("$", "");
    s = s.replaceAll("(?s).*#### ", "");
    s = s.replaceAll("\\.(?=\\n?\\z)", "");
    return s.strip().toLowerCase(Locale.ROOT);
  }

  private static final Pattern STRICT_RE = Pattern.compile("#### (\\-?[0-9\\.\\,]+)");

  /** lm-eval {@code strict-match}: the first {@code #### <number>}, then exact match. */
  public static final Protocol STRICT =
      new Simple("strict", 1, "lm-eval gsm8k strict-match: first '#### <number>', exact match after removing , $ and a final .") {
        @Override
        public Verdict judge(String output, String gold) {
          Matcher m = STRICT_RE.matcher(output);
          if (!m.find()) {
            return Verdict.noAnswer();
          }
          String got = m.group(1);
          return new Verdict(lmEvalNormalize(got).equals(lmEvalNormalize(gold)), got);
        }
      };

  private static final Pattern FLEX_RE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");

  /** lm-eval {@code flexible-extract}: the last number-like token anywhere in the output. */
  public static final Protocol FLEXIBLE =
      new Simple("flexible", 1, "lm-eval gsm8k flexible-extract: last number-like token, exact match after removing , $ and a final .") {
        @Override
        public Verdict judge(String output, String gold) {
          Matcher m = FLEX_RE.matcher(output);
          String last = null;
          while (m.find()) {
            last = m.group(1) != null ? m.group(1) : m.group(2);
          }
          if (last == null) {
            return Verdict.noAnswer();
          }
          return new Verdict(lmEvalNormalize(last).equals(lmEvalNormalize(gold)), last);
        }
      };

  private static final Pattern LA_NUMBER = Pattern.compile("-?\\d+\\.?\\d*");

  /**
   * LLM-Adapters {@code evaluate.py extract_answer_number}: remove commas, take the last
   * {@code -?\d+\.?\d*}, correct if within 0.001 of the gold value.
   */
  public static final Protocol LLM_ADAPTERS =
      new Simple("llm-adapters", 1, "LLM-Adapters evaluate.py: last number in the output (commas removed), |pred - gold| <= 1e-3") {
        @Override
        public Verdict judge(String output, String gold) {
          Matcher m = LA_NUMBER.matcher(output.replace(",", ""));
          String last = null;
          while (m.find()) {
            last = m.group();
          }
          Double g = Numbers.pyFloat(gold.replace(",", ""));
          Double p = Numbers.pyFloat(last);
          if (p == null || g == null) {
            return Verdict.noAnswer();
          }
          return new Verdict(Math.abs(g - p) <= 0.001, last);
        }
      };

  private static final Pattern GA_RE = Pattern.compile("####\\s*(\\d+)");

  /**
   * LoRA-GA: the first {@code ####} followed by digits; only a non-negative integer can be
   * extracted (no sign, no decimals, no thousands separators). No match is wrong.
   */
  public static final Protocol LORAGA =
      new Simple("loraga", 1, "LoRA-GA: first '####\\s*(\\d+)' as an integer, equal to gold; no match scores 0") {
        @Override
        public Verdict judge(String output, String gold) {
          Matcher m = GA_RE.matcher(output);
          if (!m.find()) {
            return Verdict.noAnswer();
          }
          BigDecimal p = Numbers.decimal(m.group(1));
          BigDecimal g = Numbers.decimal(gold.replace(",", ""));
          return new Verdict(g != null && p.compareTo(g) == 0, m.group(1));
        }
      };

  static final String ANSWER_IS = "The answer is: ";
  private static final Pattern PISSA_RE = Pattern.compile("[\\-+]?\\d*[\\.,/]?\\d+");

  /**
   * The value PiSSA's (MetaMath's {@code eval_gsm8k.py}) {@code extract_answer_number} reads after
   * the last "The answer is: " before rounding: the first {@code [\-+]?\d*[\.,/]?\d+}, commas
   * dropped, a fraction evaluated (numerator alone when the denominator is 0); null if none.
   */
  static Double answerIsValue(String output) {
    int at = output.lastIndexOf(ANSWER_IS);
    if (at < 0) {
      return null;
    }
    Matcher m = PISSA_RE.matcher(output.substring(at + ANSWER_IS.length()).strip());
    if (!m.find()) {
      return null;
    }
    String s = m.group();
    if (s.contains("/")) {
      String[] nd = s.split("/", -1);
      Double n = Numbers.pyFloat(nd[0]);
      Double d = Numbers.pyFloat(nd[1]);
      if (n == null || d == null) {
        return null;
      }
      if (nd[1].equals("0")) {
        return n;
      }
      return n / d;
    }
    Double v = Numbers.pyFloat(s.replace(",", ""));
    return v == null || v.isInfinite() ? null : v;
  }

  /** PiSSA: the number after the last "The answer is: ", rounded to an integer (ties to even, as Python). */
  public static final Protocol PISSA =
      new Simple("pissa", 1, "PiSSA/MetaMath eval_gsm8k.py: first number after the last 'The answer is: ', rounded to an integer, equal to gold") {
        @Override
        public Verdict judge(String output, String gold) {
          Double v = answerIsValue(output);
          Double g = Numbers.pyFloat(gold.replace(",", ""));
          if (v == null || g == null) {
            return Verdict.noAnswer();
          }
          double r = Numbers.pyRound(v);
          return new Verdict(r == g, fmt(r));
        }
      };

  /**
   * LoRA-SB: the PiSSA rule, or else {@code math_equal} on the unrounded value, which accepts the
   * gold value, gold/100 and gold*100 within a relative error of 1e-4.
   */
  public static final Protocol LORASB =
      new Simple("lorasb-answer-is", 1, "LoRA-SB: number after the last 'The answer is: '; PiSSA's rounded match or math_equal (gold, gold/100, gold*100 within rel. 1e-4)") {
        @Override
        public Verdict judge(String output, String gold) {
          Double v = answerIsValue(output);
          Double g = Numbers.pyFloat(gold.replace(",", ""));
          if (v == null || g == null) {
            return Verdict.noAnswer();
          }
          boolean ok = Numbers.pyRound(v) == g;
          for (double cand : new double[] {g, g / 100, g * 100}) {
            ok |= isClose(v, cand, 1e-4);
          }
          return new Verdict(ok, fmt(v));
        }
      };

  /** Python {@code math.isclose(a, b, rel_tol=rel)}. */
  static boolean isClose(double a, double b, double rel) {
    return a == b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Shared name/version/description plumbing. */
  abstract static class Simple implements Protocol {
    private final String name;
    private final int version;
    private final String description;

    Simple(String name, int version, String description) {
      this.name = name;
      this.version = version;
      this.description = description;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int version() {
      return version;
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public String toString() {
      return name + "@v" + version;
    }
  }
}
