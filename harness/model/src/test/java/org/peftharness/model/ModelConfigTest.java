package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;

/** The head's initialisation and dropout settings come from config.json, as HF reads them. */
class ModelConfigTest {
  @TempDir Path dir;

  ModelConfig read(String extra) throws IOException {
    Path f = dir.resolve("config.json");
    Files.writeString(f, "{\"model_type\": \"bert\", \"hidden_size\": 8, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,\n"
        + " \"intermediate_size\": 16, \"vocab_size\": 30, \"hidden_dropout_prob\": 0.1" + extra + "}\n");
    return ModelConfig.read(f);
  }

  @Test
  void initializerRangeAndClassifierDropoutAreRead() throws IOException {
    ModelConfig c = read(", \"initializer_range\": 0.05, \"classifier_dropout\": 0.3");
    assertThat(c.initializerRange()).isEqualTo(0.05);
    assertThat(c.classifierDropout()).isEqualTo(0.3);
  }

  @Test
  void hfDefaultsApplyWhenAbsentOrNull() throws IOException {
    ModelConfig c = read(", \"classifier_dropout\": null");
    assertThat(c.initializerRange()).isEqualTo(0.02);
    assertThat(c.classifierDropout()).isNull(); // the head then uses hidden_dropout_prob
    assertThat(c.hiddenDropout()).isEqualTo(0.1);
  }

  @Test
  void outOfRangeValuesNameTheirField() {
    assertThatThrownBy(() -> read(", \"initializer_range\": -0.02")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("initializer_range");
    assertThatThrownBy(() -> read(", \"classifier_dropout\": 1.5")).hasMessageContaining("classifier_dropout");
    assertThatThrownBy(() -> read(", \"attention_probs_dropout_prob\": 1.0")).hasMessageContaining("attention_probs_dropout_prob");
  }
}
