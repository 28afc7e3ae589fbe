package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/** Both tiny Llama checkpoints against float64 numpy logits computed independently of the project. */
class LlamaParityTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama-gqa-tied"})
  void logitsMatchTheIndependentForwardWithin1e4(String name) throws IOException {
    Path dir = SharedFiles.fixture(name);
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(dir.resolve("expected_logits.json")));
    int[] ids = MiniLmParityTest.ints(expected.get("input_ids"));
    int[] mask = new int[ids.length];
    java.util.Arrays.fill(mask, 1);
    try (PretrainedModel model = PretrainedModel.open(dir.toString());
        var graph = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      FloatTensor logits = graph.forward(new int[][] {ids}, new int[][] {mask});
      int vocab = model.config().vocabSize();
      assertThat(logits.shape()).containsExactly(1, ids.length, vocab);
      double maxDiff = 0;
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          maxDiff = Math.max(maxDiff, Math.abs(logits.data()[t * vocab + v] - expected.get("logits").get(t).get(v).asDouble()));
        }
      }
      assertThat(maxDiff).isLessThan(1e-4);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama-gqa-tied"})
  void leftPaddingDoesNotChangeTheLogitsOfTheRealTokens(String name) {
    Path dir = SharedFiles.fixture(name);
    int[] ids = {1, 40, 41, 42, 43};
    try (PretrainedModel model = PretrainedModel.open(dir.toString());
        var graph = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      int vocab = model.config().vocabSize();
      FloatTensor plain = graph.forward(new int[][] {ids}, new int[][] {{1, 1, 1, 1, 1}});
      FloatTensor padded = graph.forward(new int[][] {{3, 3, 1, 40, 41, 42, 43}}, new int[][] {{0, 0, 1, 1, 1, 1, 1}});
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          assertThat((double) Math.abs(plain.data()[t * vocab + v] - padded.data()[(t + 2) * vocab + v])).isLessThan(1e-5);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama-gqa-tied"})
  void characterTokenizerRoundTripsText(String name) {
    Path dir = SharedFiles.fixture(name);
    try (PretrainedModel model = PretrainedModel.open(dir.toString())) {
      String text = "Natalia sold 48 clips.\nThen\t72 more!";
      TextTokenizer.Encoded e = model.tokenizer().encode(text);
      assertThat(e.ids()[0]).isEqualTo(1); // <s>
      assertThat(e.length()).isEqualTo(text.length() + 1);
      assertThat(model.tokenizer().decode(e.ids(), true)).isEqualTo(text);
    }
  }
}
