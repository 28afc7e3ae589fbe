package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsCheckpoint;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.testing.SharedFiles;

/**
 * The runner's promises under abuse: SIGKILL at random moments then resume, two shards at once on
 * one folder, and a cell whose loss is not finite. Each ends with results.csv equal, byte for byte
 * apart from the time columns, to an uninterrupted single run's.
 */
class GridResilienceTest {
  @TempDir Path dir;

  Path grid() throws IOException {
    return TestGrid.write(dir, "resilience");
  }

  /** results.csv without the columns that legitimately differ between runs. */
  static List<String> stable(Path csv) throws IOException {
    List<String> out = new ArrayList<>();
    List<String> header = ResultsCsv.HEADER;
    for (String line : Files.readAllLines(csv)) {
      String[] f = line.split(",", -1);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < f.length && i < header.size(); i++) {
        if (!ResultsCsv.TIME_COLUMNS.contains(header.get(i))) {
          sb.append(f[i]).append(',');
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  static Process start(Path out, Path grid, String... extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx3g", "-cp", System.getProperty("java.class.path")));
    for (String p : List.of("org.bytedeco.javacpp.cachedir", "DJL_CACHE_DIR", "ai.djl.offline", "jna.tmpdir", "user.home")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.addAll(List.of(Main.class.getName(), "run", "--grid", grid.toString(), "--out", out.toString(), "--no-report"));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    Files.createDirectories(out);
    return pb.start();
  }

  @Test
  void killedAtRandomMomentsAndResumedEqualsAnUninterruptedRun() throws Exception {
    Path grid = grid();
    Path clean = dir.resolve("clean");
    assertThat(CliRunner.run("run", "--grid", grid.toString(), "--out", clean.toString(), "--no-report").exitCode()).isZero();
    List<ResultRow> cells = ResultsCsv.read(clean.resolve("results.csv"));

    // Each kill lands inside a cell drawn at random, at a random point of its first half as the clean run timed
    // it. A fixed delay does not: once cells got faster, a whole resumed run could end before its kill.
    Random rng = new Random(20261123);
    int[] targets = {rng.nextInt(cells.size()), rng.nextInt(cells.size()), rng.nextInt(cells.size())};
    Arrays.sort(targets); // a resumed run never goes back to a finished cell
    Path killed = dir.resolve("killed");
    Path log = dir.resolve("killed.log");
    for (int target : targets) {
      ResultRow cell = cells.get(target);
      Process p = start(killed, grid);
      String banner = "(" + cell.cellId().substring(0, 12) + ")";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && !(Files.exists(log) && Files.readString(log).contains(banner)) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(Math.round(cell.wallSeconds() * 1000 * rng.nextDouble() / 2));
      assertThat(p.isAlive()).as("still running cell %d when killed: %s", target, Files.readString(log)).isTrue();
      p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
    }
    Process last = start(killed, grid);
    assertThat(last.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(last.exitValue()).as(Files.readString(dir.resolve("killed.log"))).isZero();
    assertThat(stable(killed.resolve("results.csv"))).isEqualTo(stable(clean.resolve("results.csv")));
    assertThat(ResultsCsv.read(killed.resolve("results.csv"))).extracting(ResultRow::status).containsOnly(CellStatus.OK);
    // what the kills left, temporary files of atomic writes and the killed processes' claims, did not survive the resume
    try (Stream<Path> s = Files.walk(killed)) {
      assertThat(s.map(p -> killed.relativize(p).toString()).filter(n -> n.endsWith(".tmp") || n.endsWith(CellClaim.FILE)))
          .isEmpty();
    }
  }

  @Test
  void ctrlCRecordsTheCurrentCellAsCancelledAndTheRerunFinishesIt() throws Exception {
    Path grid = grid();
    Path out = dir.resolve("interrupted");
    Process p = start(out, grid);
    Path log = dir.resolve("interrupted.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.exists(log) && Files.readString(log).contains("[2/4]")) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).extracting(ResultRow::status).contains(CellStatus.CANCELLED);
    assertThat(rows).filteredOn(r -> r.status() == CellStatus.CANCELLED).extracting(ResultRow::reason)
        .containsOnly("interrupted by the user");
    CliRunner resumed = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report");
    assertThat(resumed.exitCode()).isZero();
    assertThat(ResultsCsv.read(out.resolve("results.csv"))).extracting(ResultRow::status).containsOnly(CellStatus.OK).hasSize(4);
  }

  @Test
  void twoShardsAtOnceOnOneFolderEqualOneRun() throws Exception {
    Path grid = grid();
    Path single = dir.resolve("single");
    assertThat(CliRunner.run("run", "--grid", grid.toString(), "--out", single.toString(), "--no-report").exitCode()).isZero();
    Path shared = dir.resolve("shared");
    Process a = start(shared, grid, "--shard", "1/2");
    Process b = start(shared, grid, "--shard", "2/2");
    assertThat(a.waitFor(300, TimeUnit.SECONDS) && b.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(a.exitValue()).isZero();
    assertThat(b.exitValue()).isZero();
    assertThat(stable(shared.resolve("results.csv"))).isEqualTo(stable(single.resolve("results.csv")));
  }

  @Test
  void aCellWhoseLossIsNotFiniteIsRecordedFailedAndTheGridGoesOn() throws IOException {
    Path good = SharedFiles.fixture("tiny-llama");
    Path models = Files.createDirectories(dir.resolve("models"));
    Path broken = Files.createDirectories(models.resolve("broken"));
    Files.copy(good.resolve("config.json"), broken.resolve("config.json"));
    Files.copy(good.resolve("tokenizer.json"), broken.resolve("tokenizer.json"));
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(good)) {
      for (String n : c.names()) {
        w.put(n, c.readFloat(n));
      }
    }
    w.get("model.norm.weight").data()[0] = Float.NaN; // every logit, hence the loss, becomes NaN
    SafetensorsWriter.write(broken.resolve("model.safetensors"), w, Map.of());
    Path copy = Files.createDirectories(models.resolve("tiny-llama"));
    for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
      Files.copy(good.resolve(f), copy.resolve(f));
    }
    Path g = dir.resolve("nan.yaml");
    Files.writeString(g, String.join("\n",
        "models: [broken, tiny-llama]", "models_dir: " + models, "tasks: [synthetic-arith]", "seeds: [1]",
        "data_dir: data", "methods: [{name: lora, ranks: [2]}]",
        "train: {batch_size: 4, max_length: 96, limit_train: 8}", "eval: {limit: 2, max_new_tokens: 4}", ""));
    Path out = dir.resolve("nan-out");
    CliRunner r = CliRunner.run("run", "--grid", g.toString(), "--out", out.toString(), "--no-report");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows.get(0).model()).isEqualTo("broken");
    assertThat(rows.get(0).status()).isEqualTo(CellStatus.FAILED);
    assertThat(rows.get(0).reason()).contains("non-finite loss");
    assertThat(rows.subList(1, rows.size())).extracting(ResultRow::status).containsOnly(CellStatus.OK);
  }
}
