package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/**
 * The decoder families against float64 numpy logits written from transformers' definitions
 * independently of the project (../shared/fixtures/README.md, "Decoder architectures"): every
 * feature a family has moves these logits by 1e-3 or more when left out, so 1e-4 pins them all.
 */
class DecoderParityTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2"})
  void logitsMatchTheIndependentForwardWithin1e4(String name) throws IOException {
    Path dir = SharedFiles.fixture(name);
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(dir.resolve("expected_logits.json")));
    int[] ids = MiniLmParityTest.ints(expected.get("input_ids"));
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    try (PretrainedModel model = PretrainedModel.open(dir.toString());
        var graph = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      FloatTensor logits = graph.forward(new int[][] {ids}, new int[][] {mask});
      assertThat(logits.shape()).containsExactly(1, ids.length, model.config().vocabSize());
      double diff = maxDiff(logits, 0, expected.get("logits"));
      System.out.printf("%s: max |logit - numpy| = %.3g%n", name, diff);
      assertThat(diff).isLessThan(1e-4);
    }
  }

  /** Largest |graph - expected| over the expected rows, the graph's row {@code offset + t} against expected row t. */
  static double maxDiff(FloatTensor logits, int offset, JsonNode expectedRows) {
    int vocab = (int) logits.dim(2);
    double max = 0;
    for (int t = 0; t < expectedRows.size(); t++) {
      for (int v = 0; v < vocab; v++) {
        double got = logits.data()[(offset + t) * vocab + v];
        max = Math.max(max, Math.abs(got - expectedRows.get(t).get(v).asDouble()));
      }
    }
    return max;
  }
}
