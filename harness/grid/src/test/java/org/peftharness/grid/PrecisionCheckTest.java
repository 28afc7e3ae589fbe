package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.model.Precision;
import org.peftharness.tasks.spec.TaskRegistry;

/** precision: hashed only when set, a sweep axis like any train setting, and one precision per cell. */
class PrecisionCheckTest {
  @TempDir Path dir;

  static String grid(String method, String train, String eval) {
    return String.join("\n",
        "models: [minilm]",
        "methods:",
        "  - " + method,
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "train:",
        "  lr: 1e-3",
        train,
        "eval:",
        "  batch_size: 8",
        eval,
        "");
  }

  GridPlan plan(String yaml) throws IOException {
    Path f = dir.resolve("grid.yaml");
    Files.writeString(f, yaml);
    return GridPlan.load(f, dir.resolve("data"), null, TaskRegistry.builtin(), new RegistryMethodCatalog());
  }

  @Test
  void fp32IsTheCellThatNamesNoPrecisionAndBf16IsAnother() throws IOException {
    String lora = "{name: lora, ranks: [4]}";
    Cell plain = plan(grid(lora, "", "")).cells().get(0);
    assertThat(plain.canonicalJson()).doesNotContain("precision");
    assertThat(plan(grid(lora, "  precision: fp32", "  precision: as_trained")).cells().get(0).id()).isEqualTo(plain.id());
    Cell bf16 = plan(grid(lora, "  precision: bf16", "")).cells().get(0);
    assertThat(bf16.canonicalJson()).contains("\"precision\":\"bf16\"");
    assertThat(bf16.id()).isNotEqualTo(plain.id());
  }

  @Test
  void aListSweepsBothPrecisions() throws IOException {
    List<Cell> cells = plan(grid("{name: lora, ranks: [4]}", "  precision: [fp32, bf16]", "")).cells();
    assertThat(cells).extracting(Cell::sweepText).containsExactly("precision=fp32", "precision=bf16");
    assertThat(cells.get(0).canonicalJson()).doesNotContain("precision");
  }

  @Test
  void aTrainedModelIsEvaluatedInThePrecisionItTrainedIn() {
    assertThatThrownBy(() -> plan(grid("{name: lora, ranks: [4]}", "  precision: bf16", "  precision: fp32")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("eval.precision")
        .hasMessageContaining("lora trains in bf16 (train.precision)");
  }

  @Test
  void aCellThatTrainsNothingRunsInItsEvaluationsPrecision() throws IOException {
    Cell none = plan(grid("{name: none}", "", "  precision: bf16")).cells().get(0);
    TrainSection train = TrainSection.of(castMap(none.config().get("train")));
    assertThat(EvalSection.of(castMap(none.evaluations().get(0).config().get("eval"))).precision(train)).isEqualTo(Precision.BF16);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
