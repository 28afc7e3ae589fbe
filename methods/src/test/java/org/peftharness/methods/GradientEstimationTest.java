package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.estimate.GradientAccumulator;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.lorasb.LoraSbMethod;

class GradientEstimationTest {
  private static FloatTensor t(float... v) {
    return new FloatTensor(new long[] {1, v.length}, v);
  }

  @Test
  void loraGaAveragesPerBatchMeanLossGradients() {
    GradientEstimation plan = MethodConfig.defaults("lora-ga").gradientEstimation().orElseThrow();
    assertThat(plan.samples()).isEqualTo(128);
    assertThat(plan.batchSize()).isEqualTo(2);
    assertThat(plan.shuffle()).isFalse();
    assertThat(plan.batches()).isEqualTo(64);
    GradientAccumulator acc = plan.accumulator();
    acc.add("q", t(1, 2), 2);
    acc.add("v", t(4), 2);
    acc.add("q", t(3, 6), 2);
    acc.add("v", t(8), 1);
    Map<String, FloatTensor> g = acc.result();
    assertThat(g.get("q").data()).containsExactly(2f, 4f);
    assertThat(g.get("v").data()).containsExactly(6f);
  }

  @Test
  void loraSbSumsGradientsOfLossOverBatchSize() {
    GradientEstimation plan = MethodConfig.defaults("lora-sb").gradientEstimation().orElseThrow();
    assertThat(plan.shuffle()).isTrue();
    assertThat(plan.batchSizes()).hasSize(17).endsWith(2);
    assertThat(plan.batchSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
    GradientAccumulator acc = plan.accumulator();
    acc.add("q", t(3, 6), 3);
    acc.add("q", t(2, -2), 2);
    assertThat(acc.result().get("q").data()).containsExactly(2f, 1f);
    assertThat(acc.batches("q")).isEqualTo(2);
    assertThat(MethodConfig.defaults("lora").gradientEstimation()).isEmpty();
  }

  @Test
  void loraSbEffectiveLearningRate() {
    long steps = LoraSbMethod.estimationSteps(50_000, 3, 1);
    assertThat(steps).isEqualTo(16_667);
    assertThat(LoraSbMethod.etaEff(1e-4, 0.02, steps)).isCloseTo(2.999940001199976e-07,
        org.assertj.core.data.Offset.offset(1e-20));
    assertThat(LoraSbMethod.etaEff(5e-4, 0.06, 120)).isCloseTo(6.944444444444446e-05,
        org.assertj.core.data.Offset.offset(1e-18));
    assertThat(LoraSbMethod.estimationSteps(170_420, 10, 2)).isEqualTo(2 * 17_042);
  }
}
