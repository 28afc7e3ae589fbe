package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Values of Hugging Face's schedule lambdas at chosen steps, worked out by hand. */
class ScheduleTest {
  @Test
  void linearCosineAndConstantWithWarmup() {
    Schedule lin = new Schedule(Schedule.Kind.LINEAR, 2, 10);
    assertThat(lin.factor(0)).isEqualTo(0.0);
    assertThat(lin.factor(1)).isEqualTo(0.5);
    assertThat(lin.factor(2)).isEqualTo(1.0);
    assertThat(lin.factor(6)).isEqualTo(0.5);
    assertThat(lin.factor(10)).isEqualTo(0.0);
    assertThat(lin.factor(12)).isEqualTo(0.0);
    Schedule cos = new Schedule(Schedule.Kind.COSINE, 2, 10);
    assertThat(cos.factor(1)).isEqualTo(0.5);
    assertThat(cos.factor(2)).isEqualTo(1.0);
    assertThat(cos.factor(6)).isCloseTo(0.5, within(1e-15));
    assertThat(cos.factor(4)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.25)), within(1e-15));
    assertThat(cos.factor(10)).isCloseTo(0.0, within(1e-15));
    Schedule cw = new Schedule(Schedule.Kind.CONSTANT_WITH_WARMUP, 4, 10);
    assertThat(cw.factor(1)).isEqualTo(0.25);
    assertThat(cw.factor(4)).isEqualTo(1.0);
    assertThat(cw.factor(9)).isEqualTo(1.0);
    assertThat(new Schedule(Schedule.Kind.CONSTANT, 0, 10).factor(0)).isEqualTo(1.0);
    // no warmup: the first step already runs at the full rate
    assertThat(new Schedule(Schedule.Kind.LINEAR, 0, 4).factor(0)).isEqualTo(1.0);
  }

  @Test
  void warmupRatioRoundsUpAsHuggingFace() {
    assertThat(Schedule.warmupSteps(0, 0.03, 1563)).isEqualTo(47); // ceil(46.89)
    assertThat(Schedule.warmupSteps(0, 0.02, 100)).isEqualTo(2);
    assertThat(Schedule.warmupSteps(5, 0.5, 100)).isEqualTo(5); // steps win when given
    assertThat(Schedule.warmupSteps(0, 0.0, 100)).isEqualTo(0);
  }
}
