package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.testing.SharedFiles;

/**
 * The method {@code none}: the base model evaluated as it is, under every protocol, with no
 * adapter, no optimizer step and nothing trainable, on the quick-start model and on the tiny Llama.
 */
class NoneMethodTest {
  @TempDir Path dir;

  private Path run(String... grid) throws IOException {
    Path g = dir.resolve("none.yaml");
    Files.writeString(g, String.join("\n", grid) + "\n");
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString(), "--no-report");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    return out;
  }

  private static Path onlyCell(Path out, List<ResultRow> rows) {
    assertThat(rows.stream().map(ResultRow::cellId).distinct()).hasSize(1);
    return out.resolve("cells").resolve(rows.get(0).cellId());
  }

  @Test
  void theQuickStartModelIsEvaluatedWithItsFreshHeadAndNothingTrained() throws IOException {
    Path out = run("models: [minilm]", "tasks: [synthetic-sentiment]", "seeds: [1]", "data_dir: data", "methods: [none]",
        "train: {max_length: 32}", "eval: {limit: 16}");
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).isNotEmpty().allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(CellStatus.OK);
      assertThat(r.trainableParams()).isZero();
      assertThat(r.n()).isEqualTo(16);
    });
    Path cell = onlyCell(out, rows);
    JsonNode prov = JsonDocument.MAPPER.readTree(Files.readString(cell.resolve("provenance.json")));
    assertThat(prov.at("/observed/train_steps").asInt()).isZero();
    assertThat(prov.at("/observed/trainable_params").asLong()).isZero();
    assertThat(cell.resolve("metrics.jsonl")).doesNotExist();
    // what the cell holds besides the checkpoint: the head the ONNX MiniLM lacks, drawn from the seed, untrained
    try (SafetensorsFile stored = SafetensorsFile.open(cell.resolve("trained/variables.safetensors"))) {
      assertThat(stored.names()).allMatch(n -> n.startsWith("head/")).isNotEmpty();
    }
  }

  @Test
  void theTinyLlamaIsEvaluatedAsItIsUnderEveryProtocol() throws IOException {
    Path models = SharedFiles.fixture("tiny-llama").getParent();
    Path out = run("models: [tiny-llama]", "models_dir: " + models, "tasks: [synthetic-arith]", "seeds: [3]", "data_dir: data",
        "methods: [none]", "eval: {limit: 4, max_new_tokens: 8}");
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).extracting(ResultRow::protocol).containsExactly("strict", "flexible");
    assertThat(rows).allSatisfy(r -> assertThat(r.trainableParams()).isZero());
    Path cell = onlyCell(out, rows);
    try (SafetensorsFile stored = SafetensorsFile.open(cell.resolve("trained/variables.safetensors"))) {
      assertThat(stored.names()).isEmpty();
    }
    assertThat(Files.readAllLines(cell.resolve("eval/synthetic-arith/generations.jsonl"))).hasSize(4);
  }
}
