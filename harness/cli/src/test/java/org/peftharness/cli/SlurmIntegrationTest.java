package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RegistryMethodCatalog;
import org.peftharness.results.CellClaim;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.submit.Slurm;
import org.peftharness.tasks.spec.TaskRegistry;

/**
 * {@code harness submit --slurm} against a real Slurm: a one-node cluster on localhost, started by
 * {@code ci/slurm/local-cluster.sh start} (which {@code .ci/run} calls). An array task killed
 * mid-cell leaves its cell abandoned; the same submit command then submits exactly that cell, and
 * the results equal a local run's, time columns aside. Skips, saying why, where no Slurm answers.
 */
class SlurmIntegrationTest {
  @TempDir Path dir;

  @BeforeAll
  static void slurmIsUp() throws Exception {
    String why = whyNoSlurm();
    assumeTrue(why == null, () -> "skipped: " + why + "; start a one-node cluster with ci/slurm/local-cluster.sh start");
  }

  /** Why no Slurm job can run here, or null when a node is idle. */
  static String whyNoSlurm() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("sinfo", "-h", "-o", "%t").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "sinfo failed: " + out;
      }
      return out.contains("idle") || out.contains("mix") ? null : "no idle Slurm node (sinfo says '" + out + "')";
    } catch (IOException e) {
      return "Slurm is not installed here (no sinfo)";
    }
  }

  @Test
  void anArrayJobGivesTheLocalResultsAndResubmittingRunsOnlyTheTaskThatDied() throws Exception {
    Path grid = TestGrid.write(dir, "slurm-it");
    Path local = dir.resolve("local");
    assertThat(CliRunner.run("run", "--grid", grid.toString(), "--out", local.toString(), "--no-report").exitCode()).isZero();
    GridPlan plan = GridPlan.load(grid, null, null, TaskRegistry.builtin(), new RegistryMethodCatalog(), false);

    Path shared = dir.resolve("shared");
    List<String> submit = List.of("submit", "--grid", grid.toString(), "--slurm", "--out", shared.toString(), "--gpus-per-cell", "0",
        "--cpus-per-cell", "1", "--time", "00:20:00");
    CliRunner first = CliRunner.run(submit.toArray(String[]::new));
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    Matcher m = Pattern.compile("submitted Slurm job ([0-9]+)").matcher(first.out());
    assertThat(m.find()).as(first.out()).isTrue();
    String job = m.group(1);
    assertThat(Files.readAllLines(newest(shared.resolve("slurm")))).contains("#SBATCH --array=0-3");

    // array task 2 dies the hard way (SIGKILL, as when its node is lost) while it runs its cell
    Path cell2 = shared.resolve("cells").resolve(plan.cells().get(2).id());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (CellClaim.read(cell2).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(CellClaim.read(cell2)).as("task 2 started its cell").isPresent();
    assertThat(command("scancel", "--batch", "--signal=KILL", job + "_2")).isZero();
    while (Slurm.active(job) && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    CliRunner status = CliRunner.run("status", shared.toString());
    assertThat(status.out()).as(status.out()).contains("3 ok, 0 failed, 0 cancelled, 0 running, 1 abandoned, 0 pending")
        .contains("slurm job " + job + "_2");

    // the same command again submits exactly the cell whose task died, and the results equal the local run's
    List<String> again = new ArrayList<>(submit);
    again.add("--wait");
    CliRunner second = CliRunner.run(again.toArray(String[]::new));
    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("1 cell(s) in 1 array task(s)").contains("has left the queue: 4 ok, 0 failed");
    assertThat(Files.readAllLines(newest(shared.resolve("slurm")))).contains("#SBATCH --array=2");
    assertThat(GridResilienceTest.stable(shared.resolve("results.csv"))).isEqualTo(GridResilienceTest.stable(local.resolve("results.csv")));
    for (ResultRow r : ResultsCsv.read(shared.resolve("results.csv"))) {
      JsonNode runner = JsonDocument.MAPPER.readTree(Files.readString(shared.resolve("cells").resolve(r.cellId()).resolve("provenance.json")))
          .path("observed").path("runner");
      assertThat(runner.path("scheduler").asText()).matches("slurm job [0-9]+_" + r.cellIndex());
    }
    try (Stream<Path> logs = Files.list(shared.resolve("slurm").resolve("logs"))) {
      assertThat(logs.count()).isEqualTo(5); // four tasks, then the resubmitted one
    }
    assertThat(CliRunner.run(submit.toArray(String[]::new)).out()).contains("nothing to submit");
  }

  static int command(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  static Path newest(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".sbatch")).max(Comparator.comparing(Path::toString)).orElseThrow();
    }
  }

}
