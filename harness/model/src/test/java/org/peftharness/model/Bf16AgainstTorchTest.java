package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/**
 * The bf16 graph against torch's own bf16 on the tiny decoders. {@code torch-bf16-logits.json} was
 * computed outside the project (transformers 5.17.0, torch 2.11.0 on an H200, TF32 off, eager
 * attention) from the same fixture checkpoints: float32 logits, logits under
 * {@code torch.autocast("cuda", dtype=torch.bfloat16)} (what {@link Precision#BF16} follows), and
 * logits of the model cast to bfloat16. Bit equality is out of reach: the kernels differ, and
 * autocast rounds some elementwise results to bf16 where the graph keeps float32 (the activation
 * on a bf16 product, the gate-times-up product, the scaled attention scores), so the two bf16
 * roundings are as good as independent noise. The test asks what a correct bf16 shows, in mean
 * absolute logit difference: the bf16 graph moves away from the float32 graph by as much as torch's
 * autocast moves from torch's float32 (between half and twice, so neither a missing nor a doubled
 * rounding passes), and it is no farther from torch's autocast than torch's two bf16 modes are from
 * each other.
 */
class Bf16AgainstTorchTest {
  private static JsonNode reference;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = Bf16AgainstTorchTest.class.getResourceAsStream("/bf16/torch-bf16-logits.json")) {
      reference = JsonDocument.MAPPER.readTree(in).get("logits");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2"})
  void bf16GraphFollowsTorchAutocast(String name) {
    Path dir = SharedFiles.fixture(name);
    JsonNode ref = reference.get(name);
    int[] ids = MiniLmParityTest.ints(ref.get("input_ids"));
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    try (PretrainedModel model = PretrainedModel.open(dir.toString());
        var fp32 = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN);
        var bf16 = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN, Precision.BF16)) {
      FloatTensor ours32 = fp32.forward(new int[][] {ids}, new int[][] {mask});
      FloatTensor ours16 = bf16.forward(new int[][] {ids}, new int[][] {mask});
      double fp32VsTorch = meanAbs(ours32, ref.get("fp32"));
      double oursMoved = meanAbs(ours16, ours32);
      double torchMoved = meanAbs(ref.get("autocast_bf16"), ref.get("fp32"));
      double bf16VsAutocast = meanAbs(ours16, ref.get("autocast_bf16"));
      double torchModes = meanAbs(ref.get("autocast_bf16"), ref.get("pure_bf16"));
      System.out.printf("%s: mean |.|: fp32 graph vs torch fp32 %.2g; bf16 vs fp32: graph %.3g, torch autocast %.3g; "
          + "bf16 graph vs torch autocast %.3g; torch autocast vs torch bf16 model %.3g%n",
          name, fp32VsTorch, oursMoved, torchMoved, bf16VsAutocast, torchModes);
      assertThat(fp32VsTorch).isLessThan(1e-5);
      assertThat(oursMoved).isBetween(torchMoved / 2, torchMoved * 2);
      assertThat(bf16VsAutocast).isLessThan(torchModes * 1.1);
    }
  }

  private static double meanAbs(FloatTensor a, FloatTensor b) {
    double sum = 0;
    for (int i = 0; i < a.data().length; i++) {
      sum += Math.abs(a.data()[i] - b.data()[i]);
    }
    return sum / a.data().length;
  }

  private static double meanAbs(FloatTensor ours, JsonNode rows) {
    int vocab = (int) ours.dim(2);
    double sum = 0;
    for (int t = 0; t < rows.size(); t++) {
      for (int v = 0; v < vocab; v++) {
        sum += Math.abs(ours.data()[t * vocab + v] - rows.get(t).get(v).asDouble());
      }
    }
    return sum / (rows.size() * (double) vocab);
  }

  private static double meanAbs(JsonNode a, JsonNode b) {
    double sum = 0;
    int n = 0;
    for (int t = 0; t < a.size(); t++) {
      for (int v = 0; v < a.get(t).size(); v++) {
        sum += Math.abs(a.get(t).get(v).asDouble() - b.get(t).get(v).asDouble());
        n++;
      }
    }
    return sum / n;
  }
}
