package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.testing.SharedFiles;

/**
 * A cell's exported adapter, evaluated by {@code harness evaluate} on the same task with the same
 * evaluation settings, gives the cell's metrics bit for bit, and the very same generations. On the
 * tiny Llama: a decoder has no task head, so the exported folder holds everything the cell
 * evaluated (plain LoRA and rsLoRA export their factors as they are). On MiniLM the head is new
 * (the ONNX checkpoint has no pooler), so the folder must carry the trained pooler and classifier
 * under modules_to_save for the round trip to hold.
 */
class EvaluateRoundTripTest {
  @TempDir Path dir;

  @Test
  void anExportedLoraAdapterReevaluatesToTheCellsMetricsBitForBit() throws IOException {
    Path model = SharedFiles.fixture("tiny-llama");
    Path data = dir.resolve("data");
    Path grid = dir.resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "name: round-trip",
        "models: [tiny-llama]",
        "tasks: [synthetic-arith]",
        "seeds: [1]",
        "data_dir: data",
        "methods:",
        "  - {name: lora, ranks: [4], alpha: 8}",
        "  - {name: lora, ranks: [4], alpha: 8, use_rslora: true}",
        "train: {lr: 1.0e-2, batch_size: 8, max_length: 128, limit_train: 16, save_adapter: true}",
        "eval: {batch_size: 4, max_new_tokens: 12, limit: 6}", ""));
    Path out = dir.resolve("out");
    CliRunner run = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(),
        "--models-dir", model.getParent().toString(), "--no-report");
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(CellStatus.OK));
    Map<String, List<ResultRow>> byCell = new LinkedHashMap<>();
    rows.forEach(r -> byCell.computeIfAbsent(r.cellId(), k -> new ArrayList<>()).add(r));
    assertThat(byCell).hasSize(2);

    for (Map.Entry<String, List<ResultRow>> cell : byCell.entrySet()) {
      Path cellDir = out.resolve("cells").resolve(cell.getKey());
      Path evalOut = dir.resolve("eval-" + cell.getKey());
      CliRunner ev = CliRunner.run("evaluate", "--model", model.toString(), "--adapter", cellDir.resolve("adapter").toString(),
          "--task", "synthetic-arith", "--data-dir", data.toString(), "--limit", "6", "--batch-size", "4",
          "--max-new-tokens", "12", "--out", evalOut.toString());
      assertThat(ev.exitCode()).as(ev.err() + ev.out()).isZero();
      JsonNode metrics = JsonDocument.MAPPER.readTree(evalOut.resolve("metrics.json").toFile());
      assertThat(metrics.size()).isEqualTo(cell.getValue().size());
      for (ResultRow r : cell.getValue()) {
        JsonNode m = find(metrics, r.metric(), r.protocol());
        assertThat(m.get("value").asDouble()).as(r.protocol() + " " + r.metric()).isEqualTo(r.value());
        assertThat(m.get("count").asInt()).isEqualTo(r.n());
      }
      assertThat(Files.readAllLines(evalOut.resolve("generations.jsonl")))
          .isEqualTo(Files.readAllLines(cellDir.resolve("eval/synthetic-arith/generations.jsonl")));
      assertThat(Files.readAllLines(evalOut.resolve("verdicts.jsonl")))
          .isEqualTo(Files.readAllLines(cellDir.resolve("eval/synthetic-arith/verdicts.jsonl")));
    }
  }

  @Test
  void anExportedMiniLmAdapterWithItsFreshHeadReevaluatesToTheCellsMetricsBitForBit() throws IOException {
    Path data = dir.resolve("data");
    Path grid = dir.resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "name: round-trip-minilm",
        "models: [minilm]",
        "tasks: [synthetic-contrast]",
        "seeds: [1]",
        "data_dir: data",
        "methods:",
        "  - {name: lora, ranks: [4], alpha: 8}",
        "train: {lr: 1.0e-3, batch_size: 16, max_length: 64, limit_train: 32, save_adapter: true}",
        "eval: {batch_size: 16, limit: 24}", ""));
    Path out = dir.resolve("out");
    CliRunner run = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report");
    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(CellStatus.OK));
    Path cellDir = out.resolve("cells").resolve(rows.get(0).cellId());
    Path evalOut = dir.resolve("eval");
    CliRunner ev = CliRunner.run("evaluate", "--model", "minilm", "--adapter", cellDir.resolve("adapter").toString(),
        "--task", "synthetic-contrast", "--data-dir", data.toString(), "--limit", "24", "--batch-size", "16",
        "--max-length", "64", "--out", evalOut.toString());
    assertThat(ev.exitCode()).as(ev.err() + ev.out()).isZero();
    JsonNode metrics = JsonDocument.MAPPER.readTree(evalOut.resolve("metrics.json").toFile());
    assertThat(metrics.size()).isEqualTo(rows.size());
    for (ResultRow r : rows) {
      assertThat(find(metrics, r.metric(), r.protocol()).get("value").asDouble()).as(r.protocol()).isEqualTo(r.value());
    }
    // the stored logit rows themselves, not just the accuracy they round to
    assertThat(Files.readAllLines(evalOut.resolve("generations.jsonl")))
        .isEqualTo(Files.readAllLines(cellDir.resolve("eval/synthetic-contrast/generations.jsonl")));
  }

  private static JsonNode find(JsonNode metrics, String metric, String protocol) {
    for (JsonNode m : metrics) {
      if (m.get("metric").asText().equals(metric) && m.get("protocol").asText().equals(protocol)) {
        return m;
      }
    }
    throw new AssertionError("no " + protocol + " " + metric + " in " + metrics);
  }
}
