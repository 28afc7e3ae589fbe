package org.peftharness.ci.check;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.ci.baseline.Rule;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;

/**
 * How {@code harness check} judges: the rule for every entry, or null for each entry's own
 * ({@code rule:} in the baseline file, default tolerance), and the confidence level of the noise rule.
 */
public record CheckOptions(Rule rule, double confidence) {
  public static final double DEFAULT_CONFIDENCE = 0.95;
  /** A confidence level outside this range is refused: below it "noise" means little, above it nothing fails. */
  static final double MIN_CONFIDENCE = 0.5;
  static final double MAX_CONFIDENCE = 0.9999;

  public static final CheckOptions DEFAULT = new CheckOptions(null, DEFAULT_CONFIDENCE);

  /**
   * The command line's {@code --rule} and {@code --confidence}, either null when not given.
   *
   * @throws InvalidInputException naming the argument, for an unknown rule or a confidence that is
   *     not a number in [0.5, 0.9999]
   */
  public static CheckOptions parse(String rule, String confidence) {
    return new CheckOptions(rule == null ? null : rule(rule), confidence == null ? DEFAULT_CONFIDENCE : confidence(confidence));
  }

  private static Rule rule(String s) {
    List<String> ids = Arrays.stream(Rule.values()).map(Rule::id).toList();
    String id = s.trim().toLowerCase(Locale.ROOT);
    if (!ids.contains(id)) {
      throw new InvalidInputException("argument --rule", 0, null, "'" + s + "' is not a rule" + DidYouMean.hint(id, ids));
    }
    return Rule.valueOf(id.toUpperCase(Locale.ROOT));
  }

  private static double confidence(String s) {
    double c;
    try {
      c = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      c = Double.NaN;
    }
    if (!(c >= MIN_CONFIDENCE && c <= MAX_CONFIDENCE)) {
      throw new InvalidInputException("argument --confidence", 0, null, "'" + s + "' is not a confidence level between "
          + MIN_CONFIDENCE + " and " + MAX_CONFIDENCE + (c > 1 && c < 100 ? " (a fraction: 0.95 for 95%)" : " (0.95 for 95%)"));
    }
    return c;
  }

  /**
   * The rule that judges {@code e}.
   *
   * @throws InvalidInputException when {@code --rule tolerance} meets an entry that gives no tolerance
   */
  public Rule ruleFor(BaselineEntry e) {
    Rule r = rule != null ? rule : e.rule();
    if (r == Rule.TOLERANCE && !e.hasTolerance()) {
      throw new InvalidInputException(e.file(), e.line(), "tolerance", "the entry (" + e.describe() + ") gives no "
          + "tolerance, its rule being noise; --rule tolerance needs one");
    }
    return r;
  }
}
