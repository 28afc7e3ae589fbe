package org.peftharness.ci.check;

import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.ci.baseline.Rule;
import org.peftharness.ci.noise.NoiseBand;

/**
 * One comparison. Numbers are on the baseline file's scale (the entry's {@code scale} applied), so
 * they read like the file.
 *
 * @param protocol the protocol compared (the entry's, or the results' when the entry names none)
 * @param rule the rule that gave the outcome
 * @param measured the aggregate over seeds, or null when missing
 * @param n the number of finished seeds aggregated
 * @param tolerance the half-width of the accepted band, or null when missing
 * @param noise under the noise rule, the band's make-up; null under the tolerance rule and when missing
 * @param examples the measured cells' example counts ("1000", "277-280"), or "-" when unknown
 * @param detail why: the band's make-up, or what is missing
 */
public record CheckRow(BaselineEntry entry, String protocol, Rule rule, Outcome outcome, Double measured, int n,
    Double measuredStd, Double tolerance, NoiseBand noise, String examples, String detail) {
  public Double delta() {
    return measured == null ? null : measured - entry.value();
  }

  /** "tolerance" or "noise 95%". */
  public String ruleLabel() {
    return rule == Rule.NOISE && noise != null ? "noise " + noise.level() : rule.id();
  }

  /** The outcome in words, with the rule's terms: "within noise at 95%", "regression: worse than the tolerance". */
  public String verdict() {
    String by = noise != null ? "noise explains at " + noise.level() : "the tolerance";
    return switch (outcome) {
      case PASS -> noise != null ? "within noise at " + noise.level() : "within tolerance";
      case FAIL -> "regression: worse than " + by;
      case IMPROVED -> "better than " + by;
      case MISSING -> "not judged";
    };
  }
}
