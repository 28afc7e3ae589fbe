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
 * A bf16 grid end to end on a tiny Llama: PiSSA (its residual stored in bfloat16) and LoRA-GA (its
 * gradient pre-pass through bfloat16 weights) train, the rows and the evaluation record say bf16,
 * and a cell reproduces bit for bit from its record.
 */
class Bf16RunTest {
  @TempDir Path dir;

  @Test
  void residualAndGradientMethodsTrainInBf16AndReproduce() throws IOException {
    Path models = SharedFiles.fixture("tiny-llama").getParent();
    Path grid = dir.resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "models: [tiny-llama]",
        "models_dir: " + models,
        "tasks: [synthetic-arith]",
        "seeds: [3]",
        "data_dir: data",
        "methods: [{name: pissa, ranks: [2], alpha: 2}, {name: lora-ga, ranks: [2], alpha: 2}]",
        "train: {precision: bf16, lr: 1.0e-3, batch_size: 4, max_length: 128, limit_train: 8}",
        "eval: {limit: 2, max_new_tokens: 4}", ""));
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).extracting(ResultRow::method).contains("pissa", "lora-ga");
    assertThat(rows).extracting(ResultRow::precision).containsOnly("bf16");
    for (ResultRow row : rows) {
      Path cell = out.resolve("cells").resolve(row.cellId());
      try (var evals = Files.list(cell.resolve("eval"))) {
        Path eval = evals.findFirst().orElseThrow();
        assertThat(Files.readString(eval.resolve("evaluation.json"))).contains("\"precision\" : \"bf16\"");
      }
    }
    Path pissa = out.resolve("cells").resolve(rows.stream().filter(x -> x.method().equals("pissa")).findFirst().orElseThrow().cellId());
    CliRunner again = CliRunner.run("reproduce", pissa.toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("metrics identical, bit for bit");
  }
}
