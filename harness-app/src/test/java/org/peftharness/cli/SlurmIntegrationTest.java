package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;

/**
 * {@code harness submit --slurm} against a real Slurm: a one-node cluster on localhost, started by
 * {@code ci/slurm/local-cluster.sh start} (which {@code .ci/run} calls). The array job's results
 * equal a local run's, time columns aside, and a resubmission after losing a cell submits exactly
 * that cell. Skips, saying why, where no Slurm answers.
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
  void anArrayJobGivesTheLocalResultsAndAResubmissionRunsOnlyWhatIsMissing() throws Exception {
    Path grid = TestGrid.write(dir, "slurm-it");
    Path local = dir.resolve("local");
    assertThat(CliRunner.run("run", "--grid", grid.toString(), "--out", local.toString(), "--no-report").exitCode()).isZero();

    Path shared = dir.resolve("shared");
    String[] submit = {"submit", "--grid", grid.toString(), "--slurm", "--out", shared.toString(), "--gpus-per-cell", "0",
        "--cpus-per-cell", "1", "--time", "00:20:00", "--wait"};
    CliRunner first = CliRunner.run(submit);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("submitted Slurm job").contains("has left the queue: 4 ok, 0 failed");
    assertThat(GridResilienceTest.stable(shared.resolve("results.csv"))).isEqualTo(GridResilienceTest.stable(local.resolve("results.csv")));
    for (ResultRow r : ResultsCsv.read(shared.resolve("results.csv"))) {
      JsonNode runner = JsonDocument.MAPPER.readTree(Files.readString(shared.resolve("cells").resolve(r.cellId()).resolve("provenance.json")))
          .path("observed").path("runner");
      assertThat(runner.path("scheduler").asText()).matches("slurm job [0-9]+_" + r.cellIndex());
    }
    try (Stream<Path> logs = Files.list(shared.resolve("slurm").resolve("logs"))) {
      assertThat(logs.count()).isEqualTo(4);
    }

    // lose cell 2 (as if its node had died before it finished): the same command submits it alone
    ResultRow lost = ResultsCsv.read(shared.resolve("results.csv")).stream().filter(r -> r.cellIndex() == 2).findFirst().orElseThrow();
    deleteTree(shared.resolve("cells").resolve(lost.cellId()));
    CliRunner again = CliRunner.run(submit);
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("1 cell(s) in 1 array task(s)").contains("has left the queue: 4 ok");
    Path script = newest(shared.resolve("slurm"));
    assertThat(Files.readAllLines(script)).contains("#SBATCH --array=2");
    assertThat(GridResilienceTest.stable(shared.resolve("results.csv"))).isEqualTo(GridResilienceTest.stable(local.resolve("results.csv")));

    CliRunner nothing = CliRunner.run(submit);
    assertThat(nothing.out()).contains("nothing to submit");
    CliRunner status = CliRunner.run("status", shared.toString());
    assertThat(status.out()).contains("4 ok, 0 failed").contains("Slurm jobs submitted for this folder");
  }

  static Path newest(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".sbatch")).max(Comparator.comparing(Path::toString)).orElseThrow();
    }
  }

  static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
