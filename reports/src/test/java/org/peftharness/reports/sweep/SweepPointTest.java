package org.peftharness.reports.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftharness.reports.sweep.ValidationSelection.Candidate;

class SweepPointTest {
  @Test
  void splitsMethodOptionsFromTrainSettings() {
    SweepPoint p = SweepPoint.parse("init=random alpha=16 lr=1.0e-4 warmup_ratio=0.1");
    assertThat(p.methodOptions().text()).isEqualTo("init=random alpha=16");
    assertThat(p.trainSettings().text()).isEqualTo("lr=1.0e-4 warmup_ratio=0.1");
    assertThat(p.without(TrainSettings.LR).text()).isEqualTo("init=random alpha=16 warmup_ratio=0.1");
    assertThat(p.get("lr").number()).isEqualTo(1e-4);
    assertThat(p.get("init").number()).isNull();
    assertThat(p.get("epochs")).isNull();
    assertThat(SweepPoint.parse("").isEmpty()).isTrue();
    assertThat(SweepPoint.parse(null)).isEqualTo(SweepPoint.NONE);
  }

  @Test
  void ordersNumbersByValue_notByHowTheyAreSpelled() {
    List<SweepPoint> points = new ArrayList<>(List.of(SweepPoint.parse("lr=0.001"), SweepPoint.parse("lr=5.0e-4"),
        SweepPoint.parse("lr=1e-4")));
    points.sort(SweepPoint.ORDER);
    assertThat(points).extracting(SweepPoint::text).containsExactly("lr=1e-4", "lr=5.0e-4", "lr=0.001");
  }

  @Test
  void choosesTheBestMeanValidation_theFirstOnATie_andSkipsPointsWithoutScores() {
    Candidate<String> none = new Candidate<>("none", Map.of());
    Candidate<String> a = new Candidate<>("a", Map.of(1L, 0.70, 2L, 0.80));
    Candidate<String> b = new Candidate<>("b", Map.of(1L, 0.75, 2L, 0.75));
    Candidate<String> c = new Candidate<>("c", Map.of(1L, 0.60, 2L, 0.60));
    assertThat(ValidationSelection.choose(List.of(none, a, b, c), true).point()).isEqualTo("a");
    assertThat(ValidationSelection.choose(List.of(none, b, a, c), true).point()).isEqualTo("b");
    assertThat(ValidationSelection.choose(List.of(none, a, b, c), false).point()).isEqualTo("c");
    assertThat(ValidationSelection.choose(List.of(none), true)).isNull();
  }
}
