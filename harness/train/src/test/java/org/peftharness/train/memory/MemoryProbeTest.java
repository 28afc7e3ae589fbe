package org.peftharness.train.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.testing.SharedFiles;

/**
 * Two real measurements, TensorFlow's allocator peak of one traced training step, against the
 * estimate: the embedded MiniLM with LoRA, and the tiny Llama fixture at a length where its
 * attention, not its 100k parameters, decides the peak. The full table is {@code harness inspect
 * memory --check} (docs/memory-plan.md).
 */
class MemoryProbeTest {
  @Test
  void miniLmLoraWithinAQuarter() {
    MemoryCheck.Row r = MemoryCheck.measure(
        new MemoryCheck.Combination(PretrainedModel.MINILM, "lora", 8, Precision.FP32, 8, 64, 1), Path.of("."));
    assertThat(r.measured()).isGreaterThan(90L << 20); // at least the float32 weights
    assertThat(r.ratio()).isBetween(0.75, 1.25);
  }

  @Test
  void tinyDecoderLoraWithinAQuarter() {
    Path fixtures = SharedFiles.fixture("tiny-llama/config.json").getParent().getParent();
    MemoryCheck.Row r = MemoryCheck.measure(new MemoryCheck.Combination("tiny-llama", "lora", 8, Precision.FP32, 8, 512, 1),
        fixtures);
    assertThat(r.ratio()).isBetween(0.75, 1.25);
  }

  @Test
  void aStepWithNothingBuiltHoldsAlmostNothing() {
    assertThat(MemoryProbe.allocatorInUse()).isLessThan(1L << 20);
  }
}
