package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.model.runtime.TensorFlowRuntime;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.SystemInfo;
import org.peftharness.results.provenance.CellProvenance;
import org.peftharness.testing.SharedFiles;

/** `harness run` end to end on tiny settings: an encoder grid and a decoder grid, then a resume. */
class RunCliTest {
  @TempDir Path dir;

  @Test
  void encoderGridRunsRecordsProvenanceReportsAndResumes() throws IOException {
    Path grid = dir.resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "name: tiny-encoder",
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "data_dir: data",
        "methods:",
        "  - {name: lora-sb, ranks: [4]}",
        "  - {name: lora, ranks: [4], alpha: 8, dropout: 0.1}",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 32, limit_train: 16, warmup_ratio: 0.1, save_adapter: true}",
        "eval: {limit: 16}", ""));
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).contains("results: ").contains("report: ");
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).extracting(ResultRow::method).containsExactly("lora-sb", "lora");
    assertThat(rows).allSatisfy(row -> {
      assertThat(row.status()).isEqualTo(CellStatus.OK);
      assertThat(row.n()).isEqualTo(16);
      assertThat(row.value()).isBetween(0.0, 1.0);
    });
    // LoRA-SB r4 on MiniLM's 24 target matrices trains 24 x 16 latent parameters plus the 770 of the
    // classifier and the 384 x 384 + 384 of the pooler, which the ONNX checkpoint lacks (drawn fresh, so trained)
    assertThat(rows.get(0).trainableParams()).isEqualTo(24 * 16 + 770 + 384 * 384 + 384);
    Path cell = out.resolve("cells").resolve(rows.get(0).cellId());
    JsonNode prov = JsonDocument.MAPPER.readTree(Files.readString(cell.resolve("provenance.json")));
    assertThat(prov.at("/configured/method/method").asText()).isEqualTo("lora-sb");
    assertThat(prov.path("schema").asInt()).isEqualTo(CellProvenance.SCHEMA);
    assertThat(prov.at("/observed/fresh_head_weights").toString())
        .isEqualTo("[\"bert.pooler.dense.weight\",\"bert.pooler.dense.bias\",\"classifier.weight\",\"classifier.bias\"]");
    // the device used (the CPU's model here, a GPU's name on a GPU), never the build flavour
    assertThat(prov.at("/observed/device").asText()).isIn(SystemInfo.device(false), SystemInfo.device(true));
    // and, as TensorFlow names it, with the build that ran (the tests run the default, CPU, build)
    TensorFlowRuntime tf = TensorFlowRuntime.current();
    assertThat(prov.at("/observed/tensorflow_device").asText()).isEqualTo(tf.placement());
    assertThat(prov.at("/observed/tensorflow_build").asText()).isEqualTo(tf.build().label());
    assertThat(prov.at("/observed/datasets/train").size()).isEqualTo(1);
    assertThat(prov.at("/observed/seeds/init~1encoder.layer.0.attention.self.query").isMissingNode()).isFalse();
    assertThat(Files.readAllLines(cell.resolve("eval/synthetic-sentiment/generations.jsonl"))).hasSize(16);
    assertThat(Files.readString(cell.resolve("metrics.jsonl"))).contains("\"loss\"").contains("\"eval\"");
    assertThat(out.resolve("report/report.html")).exists();
    assertThat(cell.resolve("adapter/adapter_config.json")).exists();
    assertThat(cell.resolve("adapter/adapter_model.safetensors")).exists();

    CliRunner again = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("0 cell(s) to run, 2 already done");
    assertThat(ResultsCsv.read(out.resolve("results.csv"))).isEqualTo(rows);
  }

  @Test
  void decoderGridTrainsGeneratesAndScoresEveryProtocol() throws IOException {
    Path models = SharedFiles.fixture("tiny-llama").getParent();
    Path grid = dir.resolve("d.yaml");
    Files.writeString(grid, String.join("\n",
        "models: [tiny-llama]",
        "models_dir: " + models,
        "tasks: [synthetic-arith]",
        "seeds: [3]",
        "data_dir: data",
        "methods: [{name: pissa, ranks: [2], alpha: 2}]",
        "train: {lr: 1.0e-3, batch_size: 4, max_length: 128, limit_train: 8}",
        "eval: {limit: 4, max_new_tokens: 8}", ""));
    Path out = dir.resolve("dout");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).extracting(ResultRow::protocol).containsExactly("strict", "flexible");
    Path cell = out.resolve("cells").resolve(rows.get(0).cellId());
    assertThat(Files.readAllLines(cell.resolve("eval/synthetic-arith/generations.jsonl"))).hasSize(4).allMatch(l -> l.contains("\"output\""));

    // a protocol the results do not have yet (here: one removed) is scored from the stored generations
    new org.peftharness.results.ResultsFolder(out).commit(rows.get(0).cellId(), List.of(rows.get(0)));
    CliRunner rescore = CliRunner.run("rescore", out.toString());
    assertThat(rescore.exitCode()).as(rescore.err()).isZero();
    assertThat(rescore.out()).contains("1 new row(s)");
    // same cell, same times: the re-created row equals the one removed
    assertThat(ResultsCsv.read(out.resolve("results.csv"))).isEqualTo(rows);
    assertThat(CliRunner.run("rescore", out.toString()).out()).contains("nothing to add");

    CliRunner again = CliRunner.run("reproduce", cell.toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("metrics identical, bit for bit");
  }

  @Test
  void selectBestReportsTheBestOfTheEvaluationsMadeDuringTraining() throws IOException {
    Path grid = dir.resolve("best.yaml");
    Files.writeString(grid, String.join("\n",
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "data_dir: data",
        "methods: [{name: lora, ranks: [4], alpha: 8}]",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 32, limit_train: 16, epochs: 3, eval_each_epoch: true, select: best}",
        "eval: {limit: 16}", ""));
    Path out = dir.resolve("best");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    ResultRow row = ResultsCsv.read(out.resolve("results.csv")).stream().filter(x -> x.metric().equals("accuracy"))
        .findFirst().orElseThrow();
    // two evaluations during training (after epochs 1 and 2) and the final one, all logged
    List<Double> seen = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("cells").resolve(row.cellId()).resolve("metrics.jsonl"))) {
      JsonNode n = JsonDocument.MAPPER.readTree(line);
      if (n.has("eval")) {
        seen.add(n.get("eval").get("glue-label@v1/accuracy").asDouble());
      }
    }
    assertThat(seen).hasSize(3);
    assertThat(row.value()).isEqualTo(seen.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
  }

  /**
   * select: validation on held-out training examples, proved never to read the reported split: RTE's
   * reported file is malformed, so any read of it during training or selection would fail the
   * training. The training and the validation's evaluation succeed; only the reported evaluation
   * fails, naming the file; mended, it is evaluated from the stored, selected training.
   */
  @Test
  void selectValidationChoosesOnHeldOutExamplesAndNeverReadsTheReportedSplit() throws IOException {
    Path rte = Files.createDirectories(dir.resolve("data/glue/RTE"));
    StringBuilder train = new StringBuilder("index\tsentence1\tsentence2\tlabel\n");
    String[] animals = {"cat", "dog", "bird", "horse", "fish", "cow"};
    for (int i = 0; i < 48; i++) {
      String a = animals[i % 6];
      String b = i % 2 == 0 ? a : animals[(i + 1) % 6];
      train.append(i).append("\tThe ").append(a).append(" sat on mat ").append(i).append(".\tThe ").append(b)
          .append(" sat on a mat.\t").append(i % 2 == 0 ? "entailment" : "not_entailment").append('\n');
    }
    Files.writeString(rte.resolve("train.tsv"), train);
    Files.writeString(rte.resolve("dev.tsv"), "index\tsentence1\tsentence2\tlabel\n0\tonly two fields\n");
    Path grid = dir.resolve("validation.yaml");
    Files.writeString(grid, String.join("\n",
        "models: [minilm]",
        "tasks: [rte]",
        "seeds: [1]",
        "data_dir: data",
        "methods: [{name: lora, ranks: [4], alpha: 8}]",
        "train: {lr: 1.0e-2, batch_size: 8, max_length: 32, epochs: 3, eval_every: 1, select: validation,",
        "        validation_size: 16}", ""));
    Path out = dir.resolve("validation");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report");
    assertThat(r.exitCode()).as(r.err() + r.out()).isNotZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    ResultRow validation = rows.stream().filter(ResultRow::isValidation).findFirst().orElseThrow();
    assertThat(validation.status()).isEqualTo(CellStatus.OK);
    assertThat(validation.n()).isEqualTo(16);
    assertThat(validation.selection()).isEqualTo("validation");
    ResultRow reported = rows.stream().filter(x -> !x.isValidation()).findFirst().orElseThrow();
    assertThat(reported.status()).isEqualTo(CellStatus.FAILED);
    assertThat(reported.reason()).contains("dev.tsv");

    // every step during training and the end (step 12) were evaluated on the 16 held-out examples;
    // the stored training is the first best of them, and the validation row reports exactly its score
    Path cell = out.resolve("cells").resolve(validation.cellId());
    List<Integer> steps = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (String line : Files.readAllLines(cell.resolve("metrics.jsonl"))) {
      JsonNode n = JsonDocument.MAPPER.readTree(line);
      assertThat(n.has("eval")).as("no evaluation of the reported split during training: %s", line).isFalse();
      if (n.has("validation")) {
        steps.add(n.get("step").asInt());
        scores.add(n.get("validation").get("glue-label@v1/accuracy").asDouble());
      }
    }
    assertThat(steps).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    double best = scores.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    // the large rate overshoots after the best step, so the end scores below it and the validation row,
    // a fresh evaluation after training, can equal the best only if the best step's variables were restored
    assertThat(scores.get(scores.size() - 1)).as("the test's premise: training ends below its best, %s", scores)
        .isLessThan(best);
    ResultRow accuracy = rows.stream().filter(x -> x.isValidation() && "accuracy".equals(x.metric())).findFirst().orElseThrow();
    assertThat(accuracy.value()).isEqualTo(best);
    JsonNode training = JsonDocument.MAPPER.readTree(Files.readString(cell.resolve("trained/training.json")));
    assertThat(training.path("selected_step").asInt()).isEqualTo(steps.get(scores.indexOf(best)));
    JsonNode held = JsonDocument.MAPPER.readTree(Files.readString(cell.resolve("provenance.json")))
        .at("/observed/datasets/validation");
    assertThat(held.path("examples").asText()).isEqualTo("16");
    assertThat(held.path("of_training_records").asText()).isEqualTo("48");
    assertThat(held.path("indices_sha256").asText()).matches("[0-9a-f]{64}");

    // mended, the reported split is evaluated once, from the stored selected training
    Files.writeString(rte.resolve("dev.tsv"), train.toString().lines().limit(9).reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n");
    CliRunner again = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report", "--retry-failed");
    assertThat(again.exitCode()).as(again.err() + again.out()).isZero();
    ResultRow mended = ResultsCsv.read(out.resolve("results.csv")).stream()
        .filter(x -> !x.isValidation() && "accuracy".equals(x.metric())).findFirst().orElseThrow();
    assertThat(mended.status()).isEqualTo(CellStatus.OK);
    assertThat(mended.n()).isEqualTo(8);
    assertThat(mended.selection()).isEqualTo("validation");
    JsonNode record = JsonDocument.MAPPER.readTree(Files.readString(cell.resolve("eval/rte/evaluation.json")));
    assertThat(record.at("/training/source").asText()).isEqualTo("restored from trained/");
    assertThat(record.at("/training/selected_step").asInt()).isEqualTo(training.path("selected_step").asInt());
  }
}
