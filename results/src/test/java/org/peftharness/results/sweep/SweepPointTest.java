package org.peftharness.results.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
