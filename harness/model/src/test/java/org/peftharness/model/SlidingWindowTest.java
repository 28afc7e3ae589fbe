package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/**
 * Mistral's {@code sliding_window} is a mask: over 12 tokens with a window of 4 the graph matches
 * the fixture's windowed numpy logits, and those differ from full causal attention by more than
 * 1, so the test would fail if the window were ignored. Left padding moves no real token's logits.
 */
class SlidingWindowTest {
  @TempDir Path dir;

  @Test
  void pastTheWindowTheLogitsMatchTheWindowedReferenceNotFullAttention() throws IOException {
    Path fixture = SharedFiles.fixture("tiny-mistral-sw");
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(fixture.resolve("expected_logits.json")));
    int[] ids = MiniLmParityTest.ints(expected.get("input_ids"));
    try (PretrainedModel model = PretrainedModel.open(fixture.toString());
        var graph = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      SlidingWindow window = model.config().slidingWindow();
      assertThat(window.tokens()).isEqualTo(4);
      assertThat(window.layers()).containsExactly(0, 1);
      assertThat(ids.length).isGreaterThan(window.tokens());
      int[] mask = new int[ids.length];
      Arrays.fill(mask, 1);
      FloatTensor logits = graph.forward(new int[][] {ids}, new int[][] {mask});
      assertThat(DecoderParityTest.maxDiff(logits, 0, expected.get("logits"))).isLessThan(1e-4);
      assertThat(DecoderParityTest.maxDiff(logits, 0, expected.get("logits_without_window"))).isGreaterThan(1.0);

      int[][] padded = {new int[ids.length + 3]};
      int[][] paddedMask = {new int[ids.length + 3]};
      Arrays.fill(padded[0], 3);
      System.arraycopy(ids, 0, padded[0], 3, ids.length);
      Arrays.fill(paddedMask[0], 3, ids.length + 3, 1);
      FloatTensor shifted = graph.forward(padded, paddedMask);
      assertThat(DecoderParityTest.maxDiff(shifted, 3, expected.get("logits"))).isLessThan(1e-4);
    }
  }

  @Test
  void llamaIgnoresTheKeyAsTransformersDoesAndMistralMayLeaveItNull() throws IOException {
    String config = "{\"model_type\": \"%s\", \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
        + " \"intermediate_size\": 16, \"vocab_size\": 30, \"sliding_window\": %s}";
    Path f = dir.resolve("config.json");
    Files.writeString(f, String.format(config, "llama", "4"));
    assertThat(ModelConfig.read(f).slidingWindow()).isNull();
    Files.writeString(f, String.format(config, "mistral", "null"));
    assertThat(ModelConfig.read(f).slidingWindow()).isNull();
    Files.writeString(f, String.format(config, "mistral", "0"));
    assertThatThrownBy(() -> ModelConfig.read(f)).isInstanceOf(InvalidInputException.class).hasMessageContaining("sliding_window");
  }
}
