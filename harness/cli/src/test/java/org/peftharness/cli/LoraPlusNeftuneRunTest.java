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

/** A decoder grid with LoRA+ and NEFTune on: it trains, records both settings and the neftune seed, and reproduces bit for bit. */
class LoraPlusNeftuneRunTest {
  @TempDir Path dir;

  @Test
  void aTinyLlamaTrainsWithLoraPlusAndNeftuneAndReproduces() throws IOException {
    Path models = SharedFiles.fixture("tiny-llama").getParent();
    Path grid = dir.resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "models: [tiny-llama]",
        "models_dir: " + models,
        "tasks: [synthetic-arith]",
        "seeds: [3]",
        "data_dir: data",
        "methods: [{name: lora, ranks: [2], alpha: 2}]",
        "train: {lr: 1.0e-3, batch_size: 4, max_length: 128, limit_train: 8, loraplus_lr_ratio: 16, neftune_noise_alpha: 5}",
        "eval: {limit: 2, max_new_tokens: 4}", ""));
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    Path cell = out.resolve("cells").resolve(rows.get(0).cellId());
    String provenance = Files.readString(cell.resolve("provenance.json"));
    assertThat(provenance).contains("\"loraplus_lr_ratio\"").contains("\"neftune_noise_alpha\"").contains("\"train/neftune\"");
    assertThat(Files.readAllLines(cell.resolve("metrics.jsonl"))).anyMatch(l -> l.contains("\"step\":2,"));

    CliRunner again = CliRunner.run("reproduce", cell.toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("metrics identical, bit for bit");
  }
}
