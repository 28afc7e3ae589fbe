package org.peftharness.ci.check;

/** What one baseline entry's comparison came to. Only FAIL makes {@code harness check} exit 1. */
public enum Outcome {
  /** Within tolerance. */
  PASS,
  /** Worse than expected by more than the tolerance: a regression. */
  FAIL,
  /** Better than expected by more than the tolerance: reported (update the baseline?), not failed. */
  IMPROVED,
  /** No finished result to compare (cell not run, failed or cancelled, metric/protocol absent). */
  MISSING
}
