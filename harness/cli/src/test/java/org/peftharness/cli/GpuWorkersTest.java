package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RegistryMethodCatalog;
import org.peftharness.grid.WorkerPool;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.tasks.spec.TaskRegistry;

/**
 * {@code harness run --gpus 0,1} on the CPU: two worker processes give the same results as one
 * process, each cell records the GPU its worker was pinned to, and a worker killed mid-cell costs
 * only its own cell (recorded FAILED with the signal) while the grid goes on.
 */
class GpuWorkersTest {
  @TempDir Path dir;

  @Test
  void twoWorkerProcessesGiveTheSameResultsAsOneProcess() throws Exception {
    Path grid = TestGrid.write(dir, "workers");
    Path single = dir.resolve("single");
    assertThat(CliRunner.run("run", "--grid", grid.toString(), "--out", single.toString(), "--no-report").exitCode()).isZero();
    Path multi = dir.resolve("multi");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", multi.toString(), "--no-report", "--gpus", "0,1");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("GPU 0:").contains("GPU 1:").contains("done: 4 ok, 0 failed");
    assertThat(GridResilienceTest.stable(multi.resolve("results.csv"))).isEqualTo(GridResilienceTest.stable(single.resolve("results.csv")));

    Set<String> gpus = new HashSet<>();
    Set<Long> pids = new HashSet<>();
    for (ResultRow row : ResultsCsv.read(multi.resolve("results.csv"))) {
      JsonNode obs = JsonDocument.MAPPER.readTree(Files.readString(multi.resolve("cells").resolve(row.cellId()).resolve("provenance.json")))
          .path("observed");
      String gpu = obs.path("system").path("CUDA_VISIBLE_DEVICES").asText();
      assertThat(obs.path("runner").path("scheduler").asText()).isEqualTo("harness worker on GPU " + gpu);
      assertThat(obs.path("runner").path("pid").asLong()).isNotEqualTo(ProcessHandle.current().pid());
      gpus.add(gpu);
      pids.add(obs.path("runner").path("pid").asLong());
    }
    assertThat(gpus).containsExactlyInAnyOrder("0", "1");
    assertThat(pids).hasSize(4); // a fresh process per cell
    try (var logs = Files.list(multi.resolve("logs"))) {
      assertThat(logs.count()).isEqualTo(4);
    }
  }

  /**
   * A tuned grid over two workers: three sweep cells (seed 1) on two workers, so seed 2's tuned cell
   * is found waiting while the third runs alone, is started once that one is recorded, and trains at
   * the point a single process chooses.
   */
  @Test
  void aTunedCellWaitsForItsSweepOnOtherWorkersThenRunsAsInOneProcess() throws Exception {
    Files.createDirectories(dir);
    Path grid = dir.resolve("tuned.yaml");
    Files.writeString(grid, String.join("\n",
        "name: tuned-workers",
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1, 2]",
        "tune: {over: [lr], seeds: [1]}",
        "data_dir: data",
        "methods: [{name: lora, ranks: [4], alpha: 8, train: {lr: [1.0e-4, 1.0e-3, 3.0e-3]}}]",
        "train: {batch_size: 8, max_length: 24, limit_train: 48, validation_size: 16, eval_each_epoch: true, select: validation}",
        "eval: {limit: 32}", ""));
    Path single = dir.resolve("single");
    assertThat(CliRunner.run("run", "--grid", grid.toString(), "--out", single.toString(), "--no-report").exitCode()).isZero();
    Path multi = dir.resolve("multi");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", multi.toString(), "--no-report", "--gpus", "0,1");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("done: 4 ok, 0 failed");
    assertThat(GridResilienceTest.stable(multi.resolve("results.csv"))).isEqualTo(GridResilienceTest.stable(single.resolve("results.csv")));
    assertThat(ResultsCsv.read(multi.resolve("results.csv"))).extracting(ResultRow::seed).contains(2L);
  }

  @Test
  void aWorkerKilledMidCellCostsOnlyItsCell() throws Exception {
    Path grid = TestGrid.write(dir, "crash");
    Path out = dir.resolve("crash");
    CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(
        () -> CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report", "--gpus", "0,1"));
    // the worker of cell 0, found by its claim (the claim names the process that holds the cell)
    GridPlan plan = GridPlan.load(grid, null, null, TaskRegistry.builtin(), new RegistryMethodCatalog(), false);
    Path claim = out.resolve("cells").resolve(plan.cells().get(0).id()).resolve(CellClaim.FILE);
    ProcessHandle victim = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (victim == null && System.nanoTime() < deadline) {
      Optional<CellClaim.Holder> h = CellClaim.read(claim.getParent());
      if (h.isPresent() && h.get().runner().pid() > 0) {
        victim = ProcessHandle.of(h.get().runner().pid()).orElse(null);
      }
      Thread.sleep(100);
    }
    assertThat(victim).as("worker of cell 0").isNotNull();
    assertThat(victim.parent().map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
    Thread.sleep(2000); // into the cell: loading the model or training
    victim.destroyForcibly();
    CliRunner r = run.get(300, TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.out()).isEqualTo(3);
    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows.stream().filter(x -> x.status() == CellStatus.FAILED).toList()).singleElement().satisfies(f -> {
      assertThat(f.cellIndex()).isZero();
      assertThat(f.reason()).contains("killed by signal 9").contains("logs/0-");
    });
    assertThat(rows.stream().filter(x -> x.status() == CellStatus.OK).map(ResultRow::cellIndex).distinct()).containsExactly(1, 2, 3);
    assertThat(Files.list(out.resolve("cells").resolve(rows.get(0).cellId())).map(p -> p.getFileName().toString()))
        .doesNotContain("running.json");

    CliRunner retry = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString(), "--no-report", "--retry-failed");
    assertThat(retry.exitCode()).isZero();
    assertThat(ResultsCsv.read(out.resolve("results.csv"))).extracting(ResultRow::status).containsOnly(CellStatus.OK);
  }

  @Test
  void badGpuListsAreInputErrors() throws Exception {
    Path grid = TestGrid.write(dir, "bad");
    for (String bad : List.of("0,0", "0;1", "a,b", "GPU-", "0,gpu1", "MIG-x")) {
      CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", dir.resolve("o").toString(), "--gpus", bad);
      assertThat(r.exitCode()).as(bad).isEqualTo(2);
      assertThat(r.err()).contains("--gpus");
    }
    // checked before the grid is read: the flag is named, not the missing grid
    CliRunner early = CliRunner.run("run", "--grid", dir.resolve("missing.yaml").toString(), "--gpus", "a,b");
    assertThat(early.exitCode()).isEqualTo(2);
    assertThat(early.err()).contains("argument --gpus: 'a' is not a GPU").doesNotContain("missing.yaml");
    assertThat(WorkerPool.gpuSlots(List.of("0", "12", "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6", "MIG-GPU-8932f937/1/0",
        "MIG-8932f937-d72c-4106-c12f-20bd9faed9f6"))).hasSize(5);
  }
}
