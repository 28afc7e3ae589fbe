package org.peftharness.reports.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoTest {
  private static List<String> front(boolean higher, List<Pareto.Point<String>> pts) {
    return Pareto.front(pts, higher).stream().map(Pareto.Point::item).toList();
  }

  private static Pareto.Point<String> p(double cost, double score, String name) {
    return new Pareto.Point<>(cost, score, name);
  }

  @Test
  void smallSet_higherIsBetter() {
    // a(1k, .80) b(10k, .85) c(10k, .83: dominated by b) d(100k, .84: dominated by b) e(1M, .90) f(2k, .79: dominated by a)
    assertThat(front(true, List.of(p(1e5, .84, "d"), p(1e3, .80, "a"), p(1e4, .85, "b"), p(1e4, .83, "c"), p(1e6, .90, "e"),
        p(2e3, .79, "f")))).containsExactly("a", "b", "e");
  }

  @Test
  void lowerIsBetter_andTies() {
    assertThat(front(false, List.of(p(1, 5, "a"), p(2, 3, "b"), p(3, 4, "c")))).containsExactly("a", "b");
    // identical points dominate nothing among themselves: both stay
    assertThat(front(true, List.of(p(1, 1, "x"), p(1, 1, "y")))).containsExactlyInAnyOrder("x", "y");
  }
}
