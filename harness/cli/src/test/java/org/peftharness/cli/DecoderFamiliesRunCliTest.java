package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.testing.SharedFiles;

/**
 * grids/tiny-decoder-families.yaml end to end: each decoder family beyond Llama trains (LoRA, and
 * LoRA-GA with its gradient pre-pass), generates with the key/value cache past its sliding window,
 * scores, and exports a PEFT adapter.
 */
class DecoderFamiliesRunCliTest {
  @TempDir Path dir;

  @Test
  void everyFamilyTrainsGeneratesAndScores() throws IOException {
    SharedFiles.fixture("tiny-gemma2");
    Path grid = Path.of(System.getProperty("harness.root", "../..")).resolve("grids/tiny-decoder-families.yaml");
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--models-dir",
        SharedFiles.fixture("tiny-gemma2").getParent().toString(), "--data-dir", dir.resolve("data").toString(),
        "--no-report");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).extracting(ResultRow::model).containsOnly("tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2");
    for (ResultRow row : rows) {
      Path cell = out.resolve("cells").resolve(row.cellId());
      assertThat(Files.readAllLines(cell.resolve("eval").resolve(row.task()).resolve("generations.jsonl"))).hasSize(4);
      assertThat(cell.resolve("adapter/adapter_model.safetensors")).exists();
    }
    assertThat(rows.stream().map(ResultRow::cellId).distinct()).hasSize(8);
  }
}
