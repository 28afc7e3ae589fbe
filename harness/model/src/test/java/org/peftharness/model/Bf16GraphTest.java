package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.Result;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * A bf16 graph stores the frozen pretrained tensors in bfloat16, rounded to nearest even from the
 * checkpoint's float32 as torch's {@code .to(torch.bfloat16)} rounds, and runs its products in
 * bfloat16: its logits move from the float32 graph's by bf16 rounding, never by more.
 */
class Bf16GraphTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2"})
  void decoderLogitsMoveByBf16RoundingOnly(String name) throws IOException {
    Path dir = SharedFiles.fixture(name);
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(dir.resolve("expected_logits.json")));
    int[] ids = MiniLmParityTest.ints(expected.get("input_ids"));
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    try (PretrainedModel model = PretrainedModel.open(dir.toString());
        var fp32 = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN);
        var bf16 = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN, Precision.BF16)) {
      FloatTensor a = fp32.forward(new int[][] {ids}, new int[][] {mask});
      FloatTensor b = bf16.forward(new int[][] {ids}, new int[][] {mask});
      assertMovedByRoundingOnly(name, a, b);
      assertStoredAsRoundedBf16(model, bf16);
    }
  }

  @Test
  void encoderHiddenStatesMoveByBf16RoundingOnly() {
    int[][] ids = {{101, 7592, 2088, 2003, 1037, 3231, 1012, 102}};
    int[][] types = new int[1][8];
    int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}};
    try (PretrainedModel model = PretrainedModel.open(PretrainedModel.MINILM);
        var fp32 = (EncoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN);
        var bf16 = (EncoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN, Precision.BF16)) {
      assertMovedByRoundingOnly("minilm", fp32.forward(ids, types, mask), bf16.forward(ids, types, mask));
      assertStoredAsRoundedBf16(model, bf16);
    }
  }

  /**
   * bf16 keeps 8 significant bits (relative rounding 2^-9 = 0.002 per operand); after a few layers
   * of products the outputs move by about a percent of their scale. The bound is loose enough for
   * that and two orders of magnitude below a broken graph's (a wrong weight moves outputs by their
   * own scale); that they move at all shows the bf16 path is taken.
   */
  private static void assertMovedByRoundingOnly(String name, FloatTensor fp32, FloatTensor bf16) {
    assertThat(bf16.shape()).containsExactly(fp32.shape());
    double maxDiff = 0;
    double scale = 0;
    for (int i = 0; i < fp32.data().length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(fp32.data()[i] - bf16.data()[i]));
      scale = Math.max(scale, Math.abs(fp32.data()[i]));
    }
    System.out.printf("%s: max |bf16 - fp32| = %.3g, max |fp32| = %.3g (%.2g%%)%n", name, maxDiff, scale, 100 * maxDiff / scale);
    assertThat(maxDiff).isGreaterThan(0);
    assertThat(maxDiff / scale).isLessThan(0.05);
  }

  /** Every pretrained tensor is a bfloat16 variable holding the checkpoint's float32 rounded to nearest even. */
  private static void assertStoredAsRoundedBf16(PretrainedModel model, GraphModel<TFloat32> graph) {
    for (GraphModel.Parameter<TFloat32> p : graph.parameters().values()) {
      assertThat(p.variable().type()).as(p.name()).isEqualTo(TBfloat16.class);
      float[] stored;
      try (Result r = graph.session().runner().fetch(p.value()).run()) {
        stored = HostTensors.toHost(r.get(0)).data();
      }
      float[] source = model.weights().read(model.weights().resolve(p.name(), graph.checkpointPrefixes())).data();
      for (int i = 0; i < source.length; i++) {
        if (stored[i] != roundToBf16(source[i])) {
          throw new AssertionError(p.name() + "[" + i + "]: stored " + stored[i] + ", " + source[i] + " rounds to "
              + roundToBf16(source[i]));
        }
      }
    }
  }

  /** Round to nearest even on the 16 dropped bits (c10/util/BFloat16.h round_to_nearest_even), for finite values. */
  static float roundToBf16(float x) {
    int bits = Float.floatToRawIntBits(x);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(rounded & 0xFFFF0000);
  }

  @Test
  void roundingToBf16IsToNearestEven() {
    assertThat(roundToBf16(1.0f)).isEqualTo(1.0f);
    // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa, 1
    assertThat(roundToBf16(1.0f + 0x1p-8f)).isEqualTo(1.0f);
    // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: ties go to the even one, 1 + 2^-6
    assertThat(roundToBf16(1.0f + 3 * 0x1p-8f)).isEqualTo(1.0f + 0x1p-6f);
    assertThat(roundToBf16(1.0f + 0x1p-8f + 0x1p-20f)).isEqualTo(1.0f + 0x1p-7f);
  }
}
