package org.peftharness.ci.baseline;

import java.util.Locale;

/**
 * How {@code harness check} decides whether a measured value has moved from its baseline. An
 * entry names its rule ({@code rule:}, default {@link #TOLERANCE}, so files written before the
 * noise rule keep their verdicts); {@code harness check --rule} overrides it for every entry.
 */
public enum Rule {
  /** A fixed band: the entry's {@code tolerance} (absolute, or a number of seed standard deviations). */
  TOLERANCE,
  /**
   * A band from the noise of the numbers: the measured value's example-level standard error and
   * seed spread, and the baseline's own std and example count where the file gives them, at a
   * confidence level.
   */
  NOISE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
