package org.peftharness.reports.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto front of (cost, score) points: fewer trainable parameters is better, and a higher
 * score (or lower, for lower-is-better metrics) is better. A point is on the front when no other
 * point is at least as good on both and strictly better on one.
 */
public final class Pareto {
  private Pareto() {}

  public record Point<T>(double cost, double score, T item) {}

  /** The non-dominated points, ordered by cost (then score, best first). Ties on both coordinates all stay. */
  public static <T> List<Point<T>> front(List<Point<T>> points, boolean higherIsBetter) {
    List<Point<T>> out = new ArrayList<>();
    for (Point<T> p : points) {
      boolean dominated = false;
      for (Point<T> q : points) {
        if (q == p) {
          continue;
        }
        boolean costNoWorse = q.cost() <= p.cost();
        boolean scoreNoWorse = higherIsBetter ? q.score() >= p.score() : q.score() <= p.score();
        boolean strictly = q.cost() < p.cost() || (higherIsBetter ? q.score() > p.score() : q.score() < p.score());
        if (costNoWorse && scoreNoWorse && strictly) {
          dominated = true;
          break;
        }
      }
      if (!dominated) {
        out.add(p);
      }
    }
    Comparator<Point<T>> byScore = Comparator.comparingDouble(Point::score);
    out.sort(Comparator.<Point<T>>comparingDouble(Point::cost).thenComparing(higherIsBetter ? byScore.reversed() : byScore));
    return out;
  }
}
