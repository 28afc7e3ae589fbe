package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.grid.Cell;
import org.peftharness.grid.Evaluation;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RegistryMethodCatalog;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.tasks.spec.TaskRegistry;
import picocli.CommandLine;

/**
 * {@code harness submit --slurm --dry-run}: the array covers exactly the unfinished cells, and each
 * array index, expanded by a real bash as Slurm's would, makes {@code harness run} pick the right
 * cells. No Slurm is needed; SlurmIntegrationTest submits for real.
 */
class SubmitSlurmTest {
  @TempDir Path dir;
  Path grid;
  GridPlan plan;
  Path out;

  @BeforeEach
  void setUp() throws IOException {
    grid = TestGrid.write(dir, "sub");
    plan = GridPlan.load(grid, null, null, TaskRegistry.builtin(), new RegistryMethodCatalog(), true);
    out = dir.resolve("results");
    ResultsFolder f = new ResultsFolder(out);
    f.commit(cell(0).id(), List.of(row(cell(0), CellStatus.OK)));
    f.commit(cell(2).id(), List.of(row(cell(2), CellStatus.FAILED)));
  }

  Cell cell(int i) {
    return plan.cells().get(i);
  }

  static ResultRow row(Cell c, CellStatus s) {
    boolean ok = s == CellStatus.OK;
    Evaluation e = c.evaluations().get(0);
    return new ResultRow("sub", c.id(), c.index(), c.model(), c.method(), c.rank(), e.task(), c.seed(), s, ok ? "accuracy" : null,
        ok ? "p" : null, ok ? 1 : null, ok ? 0.5 : null, ok ? 10 : null, ok ? true : null, null, null, null, 1.0,
        "2026-11-23T00:00:00Z", "2026-11-23T00:00:01Z", "v", "c", ok ? null : "non-finite loss at step 3", c.trainOn(), e.id());
  }

  Path submit(String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("submit", "--grid", grid.toString(), "--slurm", "--dry-run", "--out", out.toString()));
    args.addAll(List.of(extra));
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var s = Files.list(out.resolve("slurm"))) {
      Path script = s.filter(p -> p.toString().endsWith(".sbatch")).max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
      assertThat(r.out()).contains(script.getFileName().toString()).contains("dry run: nothing submitted");
      return script;
    }
  }

  static String directive(Path script, String name) throws IOException {
    return Files.readAllLines(script).stream().filter(l -> l.startsWith("#SBATCH --" + name + "=")).findFirst()
        .map(l -> l.substring(l.indexOf('=') + 1)).orElse(null);
  }

  /** The words {@code harness run} receives in array task {@code id}, as bash expands the script's exec line. */
  static List<String> runArgs(Path script, int id) throws Exception {
    String exec = Files.readAllLines(script).stream().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + exec.substring("exec ".length()));
    pb.environment().put("SLURM_ARRAY_TASK_ID", Integer.toString(id));
    Process p = pb.start();
    String words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    List<String> all = Arrays.asList(words.split("\0"));
    return all.subList(all.indexOf("run") + 1, all.size());
  }

  /** The cells that {@code harness run} with these arguments would run, by the run command's own parsing. */
  List<Integer> cellsRun(List<String> args) {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args.toArray(String[]::new));
    assertThat(run.select.expectPlan).isEqualTo(plan.fingerprint());
    assertThat(run.noReport).isTrue();
    return run.select.selection().apply(plan.cells()).stream().map(Cell::index).toList();
  }

  @Test
  void theArrayHoldsTheUnfinishedCellsAndEachIndexRunsItsOwnCell() throws Exception {
    Path script = submit("--gpus-per-cell", "0", "--array-parallel", "2", "--time", "01:30:00", "--partition", "gpu a", "--sbatch=--account=lab");
    assertThat(directive(script, "array")).isEqualTo("1,3%2");
    assertThat(directive(script, "time")).isEqualTo("01:30:00");
    assertThat(directive(script, "gres")).isNull();
    assertThat(Files.readString(script)).contains("#SBATCH --account=lab").contains("export HARNESS_NO_BUILD=1")
        .contains("--output=" + out.toAbsolutePath().resolve("slurm/logs/%A_%a.log"));
    for (int id : List.of(1, 3)) {
      List<String> args = runArgs(script, id);
      assertThat(cellsRun(args)).containsExactly(id);
      assertThat(args).contains(grid.toAbsolutePath().toString(), out.toAbsolutePath().toString()).doesNotContain("--retry-failed");
    }
  }

  @Test
  void groupsOfCellsAndRetriedFailuresMapIndexByIndex() throws Exception {
    Path script = submit("--cells-per-task", "2", "--retry-failed", "--gpus-per-cell", "2");
    assertThat(directive(script, "array")).isEqualTo("0-1");
    assertThat(directive(script, "gres")).isEqualTo("gpu:2");
    assertThat(cellsRun(runArgs(script, 0))).containsExactly(1, 2);
    assertThat(cellsRun(runArgs(script, 1))).containsExactly(3);
    assertThat(runArgs(script, 0)).contains("--retry-failed");
  }

  @Test
  void aCellRunningElsewhereIsNotSubmittedAndNothingLeftSaysSo() throws Exception {
    Path claim = new ResultsFolder(out).cellDir(cell(1).id()).resolve(CellClaim.FILE);
    Files.createDirectories(claim.getParent());
    Files.writeString(claim, "{\"host\":\"node-9\",\"pid\":1,\"scheduler\":\"slurm job 4_1\",\"started_at\":\"" + Instant.now() + "\"}");
    assertThat(directive(submit(), "array")).isEqualTo("3");
    new ResultsFolder(out).commit(cell(3).id(), List.of(row(cell(3), CellStatus.OK)));
    CliRunner r = CliRunner.run("submit", "--grid", grid.toString(), "--slurm", "--dry-run", "--out", out.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("nothing to submit");
  }

  @Test
  void badSchedulerOptionsAreInputErrors() {
    for (List<String> bad : List.of(List.of("--time", "5 hours"), List.of("--cells-per-task", "0"), List.of("--array-parallel", "0"),
        List.of("--cell-index", "9"), List.of("--mem", "lots"), List.of("--mem", "16GB"), List.of("--cpus-per-cell", "0"),
        List.of("--partition", "gpu\nrm -rf data"), List.of("--sbatch", "account=lab"), List.of("--sbatch", "--qos=x\necho"))) {
      List<String> args = new ArrayList<>(List.of("submit", "--grid", grid.toString(), "--slurm", "--dry-run", "--out", out.toString()));
      args.addAll(bad);
      CliRunner r = CliRunner.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(bad + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).doesNotContain("Exception").contains("argument " + bad.get(0));
    }
    CliRunner both = CliRunner.run("submit", "--grid", grid.toString(), "--slurm", "--k8s");
    assertThat(both.exitCode()).isEqualTo(2);
  }

  @Test
  void statusCountsTheFolderAndNamesWhoRunsWhat() throws IOException {
    Path claim = new ResultsFolder(out).cellDir(cell(1).id()).resolve(CellClaim.FILE);
    Files.createDirectories(claim.getParent());
    Files.writeString(claim, "{\"host\":\"node-9\",\"pid\":1,\"scheduler\":\"slurm job 4_1\",\"started_at\":\"" + Instant.now() + "\"}");
    plan.manifest().write(out);
    CliRunner r = CliRunner.run("status", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 ok, 1 failed, 0 cancelled, 1 running, 0 abandoned, 1 pending")
        .contains("node-9 pid 1 (slurm job 4_1)").contains("non-finite loss at step 3");
    CliRunner noPlan = CliRunner.run("status", dir.toString());
    assertThat(noPlan.exitCode()).isEqualTo(2);
    assertThat(noPlan.err()).contains("plan.json").contains("--grid");
    CliRunner viaGrid = CliRunner.run("status", out.toString(), "--grid", grid.toString(), "--cells");
    assertThat(viaGrid.out()).contains("pending").contains(cell(3).label());
  }

  @Test
  void aJobRefusesAnEditedGrid() throws IOException {
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--cell-index", "1", "--expect-plan", "0000000000000000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("edited after the job was submitted");
  }
}
