package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.spec.TaskRegistry;

/** LoRA+ and NEFTune as train settings: parsed, hashed only when set, refused where the method cannot take them. */
class TrainMethodCheckTest {
  @TempDir Path dir;

  static String grid(String method, String train) {
    return String.join("\n",
        "models: [minilm]",
        "methods:",
        "  - " + method,
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "train:",
        "  lr: 1e-3",
        train,
        "");
  }

  GridPlan plan(String yaml) throws IOException {
    Path f = dir.resolve("grid.yaml");
    Files.writeString(f, yaml);
    return GridPlan.load(f, dir.resolve("data"), null, TaskRegistry.builtin(), new RegistryMethodCatalog());
  }

  @Test
  void theSettingsHashIntoTheCellIdOnlyWhenSet() throws IOException {
    String lora = "{name: lora, ranks: [4]}";
    Cell plain = plan(grid(lora, "")).cells().get(0);
    assertThat(plain.canonicalJson()).doesNotContain("loraplus").doesNotContain("neftune");
    // their defaults, written out, are the cell that does not name them
    Cell defaults = plan(grid(lora, "  loraplus_lr_ratio: 0\n  loraplus_lr_embedding: 1e-6\n  neftune_noise_alpha: 0")).cells().get(0);
    assertThat(defaults.id()).isEqualTo(plain.id());

    Cell both = plan(grid(lora, "  loraplus_lr_ratio: 16\n  neftune_noise_alpha: 5")).cells().get(0);
    assertThat(both.canonicalJson()).contains("\"loraplus_lr_ratio\":16.0").contains("\"neftune_noise_alpha\":5.0");
    assertThat(both.id()).isNotEqualTo(plain.id());
    TrainSection t = TrainSection.of(TrainSection.SECTION.layer(TrainSection.SECTION.defaults(), null, "train", List.of()));
    assertThat(t.loraplusLrRatio()).isZero();
    assertThat(t.loraplusLrEmbedding()).isEqualTo(1e-6);
    assertThat(t.neftuneNoiseAlpha()).isZero();

    // a method entry setting a value back to its default removes it, and the cell is the plain one again
    Cell back = plan(grid("{name: lora, ranks: [4], train: {loraplus_lr_ratio: 0}}", "  loraplus_lr_ratio: 16")).cells().get(0);
    assertThat(back.id()).isEqualTo(plain.id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{name: lora, ranks: [4]}", "{name: pissa, ranks: [4]}", "{name: lora-ga, ranks: [4]}",
      "{name: lora-fa, ranks: [4]}"})
  void loraPlusGoesWithEveryMethodThatTrainsAB(String method) throws IOException {
    assertThat(plan(grid(method, "  loraplus_lr_ratio: 16")).cells()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{name: lora-xs, ranks: [4]}", "{name: lora-sb, ranks: [4]}", "full", "none"})
  void loraPlusIsRefusedWhereNoBIsTrained(String method) {
    assertThatThrownBy(() -> plan(grid(method, "  loraplus_lr_ratio: 16"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(dir.resolve("grid.yaml") + ":8: train.loraplus_lr_ratio: LoRA+ gives B matrices a larger")
        .hasMessageContaining("trains no B");
    // the error points where the setting is written, here the method entry
    String inEntry = method.startsWith("{") ? method.replace("}", ", train: {loraplus_lr_ratio: 16}}")
        : "{name: " + method + ", train: {loraplus_lr_ratio: 16}}";
    assertThatThrownBy(() -> plan(grid(inEntry, ""))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(":3: methods." + inEntry.substring(7, inEntry.indexOf(',')) + ".train.loraplus_lr_ratio");
  }

  @Test
  void anEmbeddingLearningRateIsRefusedSinceNoEmbeddingIsAdapted() {
    assertThatThrownBy(() -> plan(grid("{name: lora, ranks: [4]}", "  loraplus_lr_ratio: 16\n  loraplus_lr_embedding: 1e-5")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(":9: train.loraplus_lr_embedding: the harness adapts no embedding layer");
  }

  @Test
  void neftuneGoesWithEveryMethodThatTrains() throws IOException {
    assertThat(plan(grid("full", "  neftune_noise_alpha: 5")).cells()).hasSize(1);
    assertThat(plan(grid("{name: lora-xs, ranks: [4]}", "  neftune_noise_alpha: 5")).cells()).hasSize(1);
    assertThatThrownBy(() -> plan(grid("none", "  neftune_noise_alpha: 5"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(":8: train.neftune_noise_alpha: NEFTune adds noise during training, and none trains nothing");
    assertThatThrownBy(() -> plan(grid("full", "  neftune_noise_alpha: -1"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("train.neftune_noise_alpha: -1.0 is out of range");
  }

  @Test
  void loraSbWithoutWarmupIsRefusedAtValidateNamingTheSetting() throws IOException {
    // eta_eff = lr / (warmup_ratio x estimation steps): without warmup there is nothing to scale the estimate by
    assertThatThrownBy(() -> plan(grid("{name: lora-sb, ranks: [4]}", "  warmup_ratio: 0"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("grid.yaml:8: train.warmup_ratio: lora-sb initialises from the update estimate scaled by eta_eff")
        .hasMessageContaining("needs warmup_ratio > 0, got 0.0");
    assertThatThrownBy(() -> plan(grid("{name: lora-sb, ranks: [4]}", ""))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("train.warmup_ratio");
    assertThat(plan(grid("{name: lora-sb, ranks: [4]}", "  warmup_ratio: 0.1")).cells()).hasSize(1);
    assertThat(plan(grid("{name: lora, ranks: [4]}", "  warmup_ratio: 0")).cells()).hasSize(1);
  }
}
