package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.model.graph.Activation;
import org.peftharness.model.graph.DecoderBlueprint;

/**
 * How each decoder family reads the settings that pick its sliding layers, score shaping and
 * activation, with transformers' config-class defaults where a key is absent.
 */
class DecoderConfigTest {
  @TempDir Path dir;

  private ModelConfig read(String type, String extra) throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, "{\"model_type\": \"" + type + "\", \"hidden_size\": 8, \"num_hidden_layers\": 4,"
        + " \"num_attention_heads\": 2, \"head_dim\": 4, \"intermediate_size\": 16, \"vocab_size\": 30" + extra + "}");
    return ModelConfig.read(f);
  }

  private static DecoderBlueprint blueprint(ModelConfig c) {
    return (DecoderBlueprint) c.architecture().blueprint(c);
  }

  @Test
  void qwen2SlidesOnlyWithUseSlidingWindowAndFromMaxWindowLayersOn() throws IOException {
    assertThat(read("qwen2", ", \"sliding_window\": 4, \"max_window_layers\": 1").slidingWindow()).isNull();
    SlidingWindow w = read("qwen2", ", \"use_sliding_window\": true, \"sliding_window\": 4, \"max_window_layers\": 1")
        .slidingWindow();
    assertThat(w.tokens()).isEqualTo(4);
    assertThat(w.layers()).containsExactly(1, 2, 3);
    assertThat(read("qwen2", ", \"use_sliding_window\": true, \"sliding_window\": 4, \"layer_types\": [\"full_attention\","
        + " \"sliding_attention\", \"full_attention\", \"sliding_attention\"]").slidingWindow().layers()).containsExactly(1, 3);
    ModelConfig c = read("qwen2", "");
    assertThat(blueprint(c).layers().get(0).q().bias()).isTrue();
    assertThat(blueprint(c).layers().get(0).o().bias()).isFalse();
  }

  @Test
  void gemma2SlidesEvenLayersByDefaultAndCapsWithTheConfigClassDefaults() throws IOException {
    ModelConfig c = read("gemma2", "");
    assertThat(c.slidingWindow().tokens()).isEqualTo(4096);
    assertThat(c.slidingWindow().layers()).containsExactly(0, 2);
    assertThat(c.scoreShaping()).isEqualTo(new ScoreShaping(256, 50.0, 30.0));
    assertThat(c.tieWordEmbeddings()).isTrue();
    assertThat(blueprint(c).layers().get(1).norms()).hasSize(4);
    assertThat(blueprint(c).layers().get(1).window()).isZero();
    ModelConfig uncapped = read("gemma2", ", \"attn_logit_softcapping\": null, \"final_logit_softcapping\": null,"
        + " \"layer_types\": [\"full_attention\", \"full_attention\", \"full_attention\", \"sliding_attention\"]");
    assertThat(uncapped.scoreShaping()).isEqualTo(new ScoreShaping(256, null, null));
    assertThat(uncapped.slidingWindow().layers()).containsExactly(3);
    assertThatThrownBy(() -> read("gemma2", ", \"layer_types\": [\"chunked_attention\", \"full_attention\","
        + " \"full_attention\", \"full_attention\"]")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("layer_types: layer 0 is 'chunked_attention'");
  }

  @Test
  void gemmaReadsHiddenActivationBeforeHiddenAct() throws IOException {
    ModelConfig tanh = read("gemma", ", \"hidden_act\": \"gelu\", \"hidden_activation\": \"gelu_pytorch_tanh\"");
    assertThat(blueprint(tanh).variant().mlpActivation()).isSameAs(Activation.GELU_TANH);
    ModelConfig exact = read("gemma", ", \"hidden_act\": \"gelu\"");
    assertThat(blueprint(exact).variant().mlpActivation()).isSameAs(Activation.GELU);
    assertThat(read("gemma", ", \"sliding_window\": 4").slidingWindow()).isNull();
    assertThat(read("gemma", "").headDim()).isEqualTo(4);
    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gemma\", \"hidden_size\": 8, \"num_hidden_layers\": 1,"
        + " \"num_attention_heads\": 2, \"intermediate_size\": 16, \"vocab_size\": 30}");
    assertThat(ModelConfig.read(dir.resolve("config.json")).headDim()).isEqualTo(256);
  }
}
