package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.testing.SharedFiles;

/**
 * One training on a training set in its original format (MetaMathQA JSON, LLM-Adapters'
 * commonsense_170k.json) evaluated on several tasks, with the tiny Llama: the training happens
 * once per cell, every task gets its rows, a task added later is evaluated on the stored training,
 * and a process killed between the training and the evaluations resumes without training again.
 */
class TrainOnceEvaluateManyTest {
  @TempDir Path dir;

  private Path grid(String name, String tasks, String methods) throws IOException {
    Path models = SharedFiles.fixture("tiny-llama").getParent();
    Path g = dir.resolve(name + ".yaml");
    Files.writeString(g, String.join("\n",
        "name: " + name,
        "models: [tiny-llama]",
        "models_dir: " + models,
        "data_dir: data",
        "train_on: {set: metamathqa, first: 12}",
        "tasks: " + tasks,
        "seeds: [5]",
        "methods: " + methods,
        "train: {lr: 1.0e-3, batch_size: 4, max_length: 96}",
        "eval: {limit: 3, max_new_tokens: 6, batch_size: 3}", ""));
    return g;
  }

  private static JsonNode json(Path file) throws IOException {
    return JsonDocument.MAPPER.readTree(Files.readString(file));
  }

  @Test
  void oneTrainingIsEvaluatedOnEveryTaskAndATaskAddedLaterOnlyEvaluates() throws IOException {
    Path data = dir.resolve("data");
    PaperFiles.metaMathQa(data, 20);
    PaperFiles.gsm8kAndMath(data, 4);
    Path out = dir.resolve("out");
    Path first = grid("mix", "[gsm8k, math]", "[{name: lora, ranks: [2], alpha: 4}, none]");

    CliRunner plan = CliRunner.run("plan", "--grid", first.toString(), "--out", out.toString());
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("tiny-llama/lora r2/metamathqa[:12]/seed 5").contains("evaluated on 2: gsm8k, math")
        .contains("2 trainings, 4 evaluations");

    CliRunner r = CliRunner.run("run", "--grid", first.toString(), "--out", out.toString(), "--no-report");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).allSatisfy(row -> {
      assertThat(row.status()).isEqualTo(CellStatus.OK);
      assertThat(row.trainOn()).isEqualTo("metamathqa[:12]");
      assertThat(row.n()).isEqualTo(3);
    });
    assertThat(rows.stream().map(ResultRow::cellId).distinct()).hasSize(2);
    assertThat(rows.stream().filter(x -> x.method().equals("lora")).map(ResultRow::task).distinct()).containsExactly("gsm8k", "math");
    assertThat(rows.stream().filter(x -> x.method().equals("none")).map(ResultRow::task).distinct()).containsExactly("gsm8k", "math");
    assertThat(rows).filteredOn(x -> x.method().equals("none")).allSatisfy(x -> assertThat(x.trainableParams()).isZero());

    String lora = rows.stream().filter(x -> x.method().equals("lora")).findFirst().orElseThrow().cellId();
    Path cell = out.resolve("cells").resolve(lora);
    JsonNode training = json(cell.resolve("trained/training.json"));
    JsonNode prov = json(cell.resolve("provenance.json"));
    assertThat(prov.at("/configured/train_on/set").asText()).isEqualTo("metamathqa");
    assertThat(prov.at("/configured/train_on/first").asInt()).isEqualTo(12);
    assertThat(prov.at("/observed/datasets/train").has("MetaMathQA-395K.json")).isTrue();
    assertThat(prov.at("/observed/train_steps").asInt()).isEqualTo(3);
    // one training: both evaluations name the same training, which ran in this process
    for (String task : List.of("gsm8k", "math")) {
      JsonNode ev = json(cell.resolve("eval").resolve(task).resolve("evaluation.json"));
      assertThat(ev.at("/training/started_at").asText()).isEqualTo(training.at("/outcome/started_at").asText());
      assertThat(ev.at("/training/source").asText()).isEqualTo("trained in this process");
      assertThat(Files.readAllLines(cell.resolve("eval").resolve(task).resolve("generations.jsonl"))).hasSize(3);
    }
    assertThat(Files.readAllLines(cell.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"loss\""))).hasSize(3);
    try (SafetensorsFile stored = SafetensorsFile.open(cell.resolve("trained/variables.safetensors"))) {
      assertThat(stored.names()).allMatch(n -> n.contains("lora_A") || n.contains("lora_B")).hasSize(2 * 7 * 2);
    }
    String provenanceBefore = Files.readString(cell.resolve("provenance.json"));
    String trainingBefore = Files.readString(cell.resolve("trained/training.json"));

    // a task added to the finished grid: only its evaluations run, on the stored trainings
    Path second = grid("mix", "[gsm8k, math, synthetic-arith]", "[{name: lora, ranks: [2], alpha: 4}, none]");
    CliRunner more = CliRunner.run("run", "--grid", second.toString(), "--out", out.toString(), "--no-report");
    assertThat(more.exitCode()).as(more.err() + more.out()).isZero();
    List<ResultRow> after = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(after.stream().filter(x -> x.task().equals("synthetic-arith")).map(ResultRow::cellId).distinct()).hasSize(2);
    assertThat(after.stream().filter(x -> !x.task().equals("synthetic-arith")).toList()).isEqualTo(rows);
    assertThat(Files.readString(cell.resolve("provenance.json"))).isEqualTo(provenanceBefore);
    assertThat(Files.readString(cell.resolve("trained/training.json"))).isEqualTo(trainingBefore);
    JsonNode added = json(cell.resolve("eval/synthetic-arith/evaluation.json"));
    assertThat(added.at("/training/source").asText()).isEqualTo("restored from trained/");
    assertThat(added.at("/training/started_at").asText()).isEqualTo(training.at("/outcome/started_at").asText());
  }

  @Test
  void aKillBetweenTheTrainingAndTheEvaluationsResumesWithoutTrainingAgain() throws Exception {
    Path data = dir.resolve("data");
    PaperFiles.metaMathQa(data, 20);
    PaperFiles.gsm8kAndMath(data, 4);
    Path g = grid("kill", "[gsm8k, math, synthetic-arith]", "[{name: lora, ranks: [2], alpha: 4}]");
    Path clean = dir.resolve("clean");
    assertThat(CliRunner.run("run", "--grid", g.toString(), "--out", clean.toString(), "--no-report").exitCode()).isZero();

    Path out = dir.resolve("out");
    Process p = GridResilienceTest.start(out, g);
    Path marker = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (marker == null && p.isAlive() && System.nanoTime() < deadline) {
      marker = storedTraining(out);
      Thread.sleep(5);
    }
    p.destroyForcibly().waitFor();
    assertThat(marker).as("the training was stored before the process ended").isNotNull();
    String training = Files.readString(marker);
    List<ResultRow> before = Files.exists(out.resolve("results.csv")) ? ResultsCsv.read(out.resolve("results.csv")) : List.of();
    assertThat(before.stream().map(ResultRow::task).distinct().count()).as("killed before the last evaluation").isLessThan(3);

    CliRunner resumed = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString(), "--no-report");
    assertThat(resumed.exitCode()).as(resumed.err() + resumed.out()).isZero();
    assertThat(Files.readString(marker)).isEqualTo(training);
    Path cell = marker.getParent().getParent();
    assertThat(json(cell.resolve("eval/synthetic-arith/evaluation.json")).at("/training/source").asText())
        .isEqualTo("restored from trained/");
    // the evaluations on the restored training score exactly as the uninterrupted run's
    assertThat(GridResilienceTest.stable(out.resolve("results.csv"))).isEqualTo(GridResilienceTest.stable(clean.resolve("results.csv")));
  }

  @Test
  void oneTrainingOnCommonsense170kIsEvaluatedOnTheEightSets() throws IOException {
    Path data = dir.resolve("data");
    PaperFiles.commonsense(data, 16, 2);
    Path models = SharedFiles.fixture("tiny-llama").getParent();
    Path g = dir.resolve("cs.yaml");
    Files.writeString(g, String.join("\n",
        "name: cs",
        "models: [tiny-llama]",
        "models_dir: " + models,
        "data_dir: data",
        "train_on: {set: commonsense_170k, template: llm-adapters-lorasb-train, shuffle: true}",
        "tasks: [boolq, piqa, siqa, hellaswag, winogrande, arc-e, arc-c, obqa]",
        "seeds: [1]",
        "methods: [{name: lora, ranks: [2], alpha: 4}]",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 96}",
        "eval: {max_new_tokens: 4, batch_size: 2}", ""));
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString(), "--no-report");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    assertThat(r.out()).containsOnlyOnce("training (2 steps)");
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows.stream().map(ResultRow::cellId).distinct()).hasSize(1);
    assertThat(rows.stream().map(ResultRow::task).distinct())
        .containsExactly("boolq", "piqa", "siqa", "hellaswag", "winogrande", "arc-e", "arc-c", "obqa");
    assertThat(rows).allSatisfy(x -> {
      assertThat(x.status()).isEqualTo(CellStatus.OK);
      assertThat(x.trainOn()).isEqualTo("commonsense_170k shuffled");
      assertThat(x.n()).isEqualTo(2);
    });
    Path cell = out.resolve("cells").resolve(rows.get(0).cellId());
    assertThat(json(cell.resolve("provenance.json")).at("/observed/seeds/training_set").isNumber()).isTrue();
    try (var evals = Files.list(cell.resolve("eval"))) {
      assertThat(evals.count()).isEqualTo(8);
    }
  }

  @Test
  void thePlanOfTheCommonsenseGridIsOneTrainingAndEightEvaluationsPerMethodAndSeed() {
    Path grid = Path.of(System.getProperty("harness.root", "../..")).resolve("grids/paper-commonsense.yaml");
    CliRunner r = CliRunner.run("plan", "--grid", grid.toString(), "--no-files", "--out", dir.resolve("p").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("llama-3.2-3b/lora-sb r96/commonsense_170k shuffled/seed 42")
        .contains("evaluated on 8: boolq, piqa, siqa, hellaswag, winogrande, arc-e, arc-c, obqa")
        .contains("4 trainings, 32 evaluations");
    CliRunner v = CliRunner.run("validate", grid.toString(), "--no-files");
    assertThat(v.exitCode()).as(v.err()).isZero();
    assertThat(v.out()).contains("valid; 4 cells (trainings), 32 evaluations; data files and weights not checked");
  }

  private static Path storedTraining(Path out) throws IOException {
    Path cells = out.resolve("cells");
    if (!Files.isDirectory(cells)) {
      return null;
    }
    List<Path> found = new ArrayList<>();
    try (var s = Files.list(cells)) {
      s.map(c -> c.resolve("trained/training.json")).filter(Files::isRegularFile).forEach(found::add);
    }
    return found.isEmpty() ? null : found.get(0);
  }
}
