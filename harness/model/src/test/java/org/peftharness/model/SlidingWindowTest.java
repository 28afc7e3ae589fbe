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
 * Mistral's {@code sliding_window} is honoured by refusing what full causal attention would get
 * wrong: within the window the graph matches the fixture's windowed numpy logits, past it the
 * graph and the forward probe refuse, naming config.json's key.
 */
class SlidingWindowTest {
  @TempDir Path dir;

  @Test
  void withinTheWindowTheLogitsMatchTheWindowedReference() throws IOException {
    Path fixture = SharedFiles.fixture("tiny-mistral-sw");
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(fixture.resolve("expected_logits.json")));
    int[] all = MiniLmParityTest.ints(expected.get("input_ids"));
    try (PretrainedModel model = PretrainedModel.open(fixture.toString());
        var graph = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      SlidingWindow window = model.config().slidingWindow();
      assertThat(window.tokens()).isEqualTo(4);
      assertThat(window.line()).isEqualTo(Files.readAllLines(fixture.resolve("config.json")).indexOf("  \"sliding_window\": 4,") + 1);
      int[] ids = Arrays.copyOf(all, window.tokens());
      int[] mask = new int[ids.length];
      Arrays.fill(mask, 1);
      FloatTensor logits = graph.forward(new int[][] {ids}, new int[][] {mask});
      int vocab = model.config().vocabSize();
      double maxDiff = 0;
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          maxDiff = Math.max(maxDiff, Math.abs(logits.data()[t * vocab + v] - expected.get("logits").get(t).get(v).asDouble()));
        }
      }
      assertThat(maxDiff).isLessThan(1e-4);

      int[] fullMask = new int[all.length];
      Arrays.fill(fullMask, 1);
      assertThatThrownBy(() -> graph.forward(new int[][] {all}, new int[][] {fullMask}))
          .hasMessageContaining("sliding_window: the model attends within 4 tokens");
      assertThatThrownBy(() -> ForwardProbe.run(model, new ForwardProbe.Input(all, null), ForwardProbe.Output.LOGITS))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("config.json:" + window.line() + ": sliding_window: the model attends within 4 tokens, "
              + "but the input's length in tokens is 12");
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
