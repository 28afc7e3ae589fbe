package org.peftharness.reports.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidationSelectionTest {
  @Test
  void aTunedGridIsChosenOnItsTuningSeedsAsTheRunnerChoseIt() {
    // tune: {seeds: [1]}: lr 1e-3 was chosen on seed 1 (0.80 > 0.70), then seeds 2 and 3 trained there only;
    // over all its seeds it averages 0.60, below 1e-4's single seed, but the choice is made on seed 1
    var chosen = new ValidationSelection.Candidate<>("lr=1.0e-3", Map.of(1L, 0.80, 2L, 0.50, 3L, 0.50));
    var other = new ValidationSelection.Candidate<>("lr=1.0e-4", Map.of(1L, 0.70));
    assertThat(ValidationSelection.choose(List.of(other, chosen), true).point()).isEqualTo("lr=1.0e-3");
  }

  @Test
  void withTheSameSeedsEverywhereTheBestMeanWinsAndTheFirstOnATie() {
    var a = new ValidationSelection.Candidate<>("a", Map.of(1L, 0.6, 2L, 0.8));
    var b = new ValidationSelection.Candidate<>("b", Map.of(1L, 0.9, 2L, 0.5));
    var c = new ValidationSelection.Candidate<>("c", Map.of(1L, 0.5, 2L, 0.7));
    assertThat(ValidationSelection.choose(List.of(a, b, c), true).point()).isEqualTo("a");
    assertThat(ValidationSelection.choose(List.of(a, b, c), false).point()).isEqualTo("c");
    var none = new ValidationSelection.Candidate<>("none", Map.<Long, Double>of());
    assertThat(ValidationSelection.choose(List.of(none), true)).isNull();
    // a candidate without a score is skipped; a and b tie at 0.7, so the first of the two in the list wins
    assertThat(ValidationSelection.choose(List.of(none, b, a, c), true).point()).isEqualTo("b");
  }
}
