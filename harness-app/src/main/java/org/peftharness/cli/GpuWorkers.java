package org.peftharness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.Cell;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.CellRows;
import org.peftharness.grid.Shard;
import org.peftharness.grid.WorkerPool;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.provenance.BuildInfo;
import org.tensorflow.TensorFlow;

/**
 * {@code harness run --gpus 0,1,2,3}: one cell per GPU at a time, each in a child harness process
 * that sees only its GPU ({@code CUDA_VISIBLE_DEVICES}). Children share the results folder the
 * way shards do; a child's console output goes to {@code logs/<cell>.log} in the results folder.
 */
final class GpuWorkers {
  private GpuWorkers() {}

  static int run(GridPlan plan, GridOptions grid, Path dir, List<Cell> cells, Shard shard, List<String> gpus,
      boolean retryFailed, boolean noReport, PrintWriter o) throws IOException {
    for (String g : gpus) {
      if (!g.matches("[A-Za-z0-9-]+")) { // an index, or a GPU-/MIG- UUID
        throw new InvalidInputException("argument --gpus", 0, null, "'" + g + "' is not a GPU index or UUID");
      }
    }
    if (gpus.stream().distinct().count() != gpus.size()) {
      throw new InvalidInputException("argument --gpus", 0, null, "a GPU is listed twice: " + String.join(",", gpus));
    }
    BuildInfo build = BuildInfo.current(TensorFlow.version());
    ResultsFolder folder = new ResultsFolder(dir);
    CellRows rows = new CellRows(plan.spec().name(), build.harnessVersion(), build.gitCommit());
    List<String> base = SelfCommand.jvm();
    WorkerPool.Launcher launcher = (cell, gpu, log) -> {
      List<String> cmd = new ArrayList<>(base);
      cmd.addAll(List.of("run", "--grid", grid.grid().toAbsolutePath().toString(), "--out", dir.toAbsolutePath().toString(),
          "--cell-index", Integer.toString(cell.index()), "--expect-plan", plan.fingerprint(), "--no-report"));
      if (grid.dataDir != null) {
        cmd.addAll(List.of("--data-dir", grid.dataDir.toAbsolutePath().toString()));
      }
      if (grid.modelsDir != null) {
        cmd.addAll(List.of("--models-dir", grid.modelsDir.toAbsolutePath().toString()));
      }
      if (retryFailed) {
        cmd.add("--retry-failed");
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("CUDA_VISIBLE_DEVICES", gpu);
      pb.environment().put("HARNESS_WORKER_GPU", gpu);
      return pb.start();
    };
    WorkerPool.Listener listener = new WorkerPool.Listener() {
      @Override
      public void started(Cell cell, String gpu, int position, int total, Path log) {
        o.printf(Locale.ROOT, "[%d/%d] GPU %s: %s  (%s; log %s)%n", position, total, gpu, cell.label(),
            cell.id().substring(0, 12), dir.relativize(log));
        o.flush();
      }

      @Override
      public void ended(Cell cell, String gpu, CellStatus status, String reason, double seconds) {
        o.printf(Locale.ROOT, "  GPU %s: %s %s in %s%s%n", gpu, status == null ? "skipped" : status, cell.label(),
            ConsoleProgress.duration(seconds), reason == null ? "" : ": " + reason);
        o.flush();
      }
    };
    o.printf(Locale.ROOT, "grid %s: %d cells on %d GPU worker(s) (%s); results in %s%n", plan.spec().name(), cells.size(),
        gpus.size(), String.join(",", gpus), dir);
    AtomicBoolean cancelled = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      cancelled.set(true);
      try {
        // let the workers record their cells as cancelled before this JVM exits
        finished.await(90, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "harness-cancel-workers");
    Runtime.getRuntime().addShutdownHook(hook);
    WorkerPool.Summary s;
    try {
      s = new WorkerPool(folder, rows, gpus, launcher, listener).run(cells, shard, cancelled::get, retryFailed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      finished.countDown();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down
    }
    if (s.cancelled() > 0) {
      o.println("interrupted: the running cells are recorded as cancelled; run the same command again to resume");
      o.flush();
      return 130;
    }
    o.printf(Locale.ROOT, "done: %d ok, %d failed, %d skipped (finished before)%s%n", s.ok(), s.failed(), s.skipped(),
        s.heldElsewhere() == 0 ? "" : ", " + s.heldElsewhere() + " left to the processes running them");
    o.println("results: " + dir.resolve(ResultsFolder.RESULTS_CSV));
    if (!noReport && !folder.allCellRows().isEmpty()) {
      var r = ReportCommand.write(List.of(dir), dir.resolve("report"), null);
      o.println("report:  " + r.html() + " (and " + r.markdown().getFileName() + ")");
    }
    o.flush();
    return s.failed() > 0 ? ExitCode.RUN_FAILED.code() : 0;
  }
}
