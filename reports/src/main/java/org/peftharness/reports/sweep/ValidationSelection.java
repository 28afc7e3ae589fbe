package org.peftharness.reports.sweep;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.results.sweep.SweepPoint;

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

    /** The mean over these seeds only (all of the point's when {@code seeds} is empty). */
    double mean(Set<Long> seeds) {
      return seeds.isEmpty() ? mean()
          : validation.entrySet().stream().filter(e -> seeds.contains(e.getKey())).mapToDouble(Map.Entry::getValue)
              .average().orElse(Double.NaN);
    }
  }

  /**
   * The candidate with the best mean validation score, the first of the list on a tie (the caller
   * orders the list, see {@link SweepPoint#ORDER}); null when none has a score. The means are taken
   * over the seeds every scored candidate has: a grid with {@code tune:} sweeps on its tuning seeds
   * and trains its other seeds at the chosen point only, so those seeds must not weigh on the
   * choice; the runner's choice (TunedChoice in harness-grid) is the same mean over the tuning seeds, and breaks
   * a tie in the same {@link SweepPoint#ORDER}.
   */
  public static <T> Candidate<T> choose(List<Candidate<T>> candidates, boolean higherIsBetter) {
    Set<Long> common = null;
    for (Candidate<T> c : candidates) {
      if (!c.validation().isEmpty()) {
        if (common == null) {
          common = new HashSet<>(c.validation().keySet());
        } else {
          common.retainAll(c.validation().keySet());
        }
      }
    }
    Set<Long> seeds = common == null ? Set.of() : common;
    Candidate<T> best = null;
    double bestMean = Double.NaN;
    for (Candidate<T> c : candidates) {
      double m = c.mean(seeds);
      if (Double.isNaN(m)) {
        continue;
      }
      if (best == null || (higherIsBetter ? m > bestMean : m < bestMean)) {
        best = c;
        bestMean = m;
      }
    }
    return best;
  }
}
