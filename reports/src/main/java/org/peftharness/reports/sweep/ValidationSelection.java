package org.peftharness.reports.sweep;

import java.util.List;
import java.util.Map;

/**
 * Chooses a method variant's train settings among its sweep points by their scores on held-out
 * validation examples alone: a candidate carries its validation scores and nothing of the reported
 * split, so the choice cannot look at the numbers it is then reported with. Choosing on the
 * reported split instead would report the maximum of several noisy estimates, which is biased
 * upwards.
 */
public final class ValidationSelection {
  private ValidationSelection() {}

  /**
   * One sweep point of a variant.
   *
   * @param point what the caller knows the point by
   * @param validation the point's validation score by seed; empty when it has none
   */
  public record Candidate<T>(T point, Map<Long, Double> validation) {
    /** The mean validation score over the point's seeds; NaN without any. */
    public double mean() {
      return validation.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
  }

  /**
   * The candidate with the best mean validation score over its seeds, the first of the list on a
   * tie (the caller orders the list, see {@link SweepPoint#ORDER}); null when none has a score.
   */
  public static <T> Candidate<T> choose(List<Candidate<T>> candidates, boolean higherIsBetter) {
    Candidate<T> best = null;
    for (Candidate<T> c : candidates) {
      double m = c.mean();
      if (Double.isNaN(m)) {
        continue;
      }
      if (best == null || (higherIsBetter ? m > best.mean() : m < best.mean())) {
        best = c;
      }
    }
    return best;
  }
}
