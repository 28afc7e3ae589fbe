package org.peftharness.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.peftharness.cell.TrainingCellExecutor;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.core.ExitCode;
import org.peftharness.core.files.FileFaults;
import org.peftharness.core.files.OutputLocations;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellRows;
import org.peftharness.grid.CellSelection;
import org.peftharness.grid.FailedEarlier;
import org.peftharness.grid.GridBaselines;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.GridRunner;
import org.peftharness.grid.PlanListing;
import org.peftharness.grid.Shard;
import org.peftharness.grid.ShutdownCancel;
import org.peftharness.grid.WorkerPool;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.tasks.spec.TaskRegistry;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness run --grid G}: run the grid's pending cells, then write the report. */
@Command(name = "run",
    description = {"Run every pending cell of a grid (validating it first), record each cell's results with provenance, "
        + "then write the report.",
        "Rerunning the same command resumes; Ctrl-C records the current cell as cancelled. Processes (shards, --gpus "
        + "workers, scheduled jobs) may share one results folder: a cell another live process runs is left to it."})
final class RunCommand extends BaseCommand {
  @Mixin GridOptions grid;

  @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: runs/<grid name>).")
  Path out;

  @Mixin CellSelectionOptions select;

  @Option(names = "--gpus", paramLabel = "LIST", split = ",",
      description = "Run one cell per GPU at a time, each in its own process pinned with CUDA_VISIBLE_DEVICES (e.g. 0,1,2,3).")
  List<String> gpus;

  @Option(names = "--dry-run", description = "List the cells and what is done; run nothing (same as 'harness plan').")
  boolean dryRun;

  @Option(names = "--retry-failed", description = "Run failed cells again (by default a failed cell is final).")
  boolean retryFailed;

  @Option(names = "--no-report", description = "Do not write the report at the end.")
  boolean noReport;

  @Override
  protected ExitCode execute() throws IOException {
    // the flags' values are checked before the grid is read
    if (gpus != null) {
      WorkerPool.gpuSlots(gpus);
    }
    Shard slice = select.shard();
    CellSelection selection = select.selection();
    GridPlan plan = grid.plan(true);
    Path dir = GridOptions.resultsDir(out, plan);
    List<Cell> cells = select.cells(plan, grid.grid());
    if (dryRun) {
      PlanListing.print(plan, dir, slice, out());
      return ExitCode.OK;
    }
    // a malformed file or a folder that cannot be written fails now, not after the cells have run
    OutputLocations.requireFolder(dir, out != null ? "argument --out" : "results folder (default of --out)");
    plan.baselineFiles().forEach(Baselines::read);
    GridBaselines.copy(plan, dir);
    plan.manifest().write(dir);
    BuildInfo build = BuildInfo.current(TensorFlow.version());
    int failedEarlier = retryFailed ? 0 : FailedEarlier.count(new ResultsFolder(dir), cells, slice);
    GridRunner.Summary s;
    try (ShutdownCancel cancel = ShutdownCancel.install("harness-cancel", Duration.ofSeconds(gpus == null ? 60 : 90))) {
      s = gpus == null ? inProcess(plan, dir, cells, selection, slice, build, cancel) : onGpus(plan, dir, cells, slice, build, cancel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED;
    } catch (IOException | UncheckedIOException e) {
      FileSystemException refused = FileFaults.find(e);
      if (refused == null) {
        throw e;
      }
      // the folder turned unwritable under the run (a full or read-only disk, changed permissions)
      throw new RunFailedException("cannot record in " + dir + ": " + FileFaults.describe(refused)
          + "; the cells recorded before stay, and the same command resumes once the folder is writable");
    }
    if (s.interrupted()) {
      out().println("interrupted: " + (gpus == null ? "the current cell is" : "the running cells are")
          + " recorded as cancelled; run the same command again to resume");
      return ExitCode.INTERRUPTED;
    }
    out().printf("done: %d ok, %d failed, %d skipped (finished before)%s%n", s.ok(), s.failed(), s.skipped(),
        (s.heldElsewhere() == 0 ? "" : ", " + s.heldElsewhere() + " left to the processes running them")
            + (s.waiting() == 0 ? "" : ", " + s.waiting() + " tuned on a sweep not yet validated (run again once it is)")
            + (failedEarlier == 0 ? "" : "; " + failedEarlier + " failed earlier: rerun with --retry-failed"));
    out().println("results: " + dir.resolve(ResultsFolder.RESULTS_CSV));
    if (!noReport && !new ResultsFolder(dir).allCellRows().isEmpty()) {
      var r = Reports.write(List.of(dir), dir.resolve("report"), null);
      out().println("report:  " + r.html() + " (and " + r.markdown().getFileName() + ")");
    }
    return s.failed() > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
  }

  private GridRunner.Summary inProcess(GridPlan plan, Path dir, List<Cell> cells, CellSelection selection, Shard slice,
      BuildInfo build, ShutdownCancel cancel) throws IOException {
    out().printf("grid %s: %d cells%s; results in %s%n", plan.spec().name(), plan.cells().size(),
        selection.isAll() ? "" : " (" + cells.size() + " selected)", dir);
    try (TrainingCellExecutor executor = new TrainingCellExecutor(TrainingCellExecutor.Context.of(plan), TaskRegistry.builtin(),
        build)) {
      GridRunner runner = new GridRunner(plan.spec().name(), new ResultsFolder(dir), executor,
          new ConsoleProgress(out(), System.console() != null), build.harnessVersion(), build.gitCommit());
      return runner.run(cells, slice, cancel.flag(), retryFailed);
    }
  }

  /** One child process per GPU at a time, each pinned to its GPU; a crashed child costs only its cell. */
  private GridRunner.Summary onGpus(GridPlan plan, Path dir, List<Cell> cells, Shard slice, BuildInfo build,
      ShutdownCancel cancel) throws IOException, InterruptedException {
    List<String> slots = WorkerPool.gpuSlots(gpus);
    out().printf("grid %s: %d cells on %d GPU worker(s) (%s); results in %s%n", plan.spec().name(), cells.size(),
        slots.size(), String.join(",", slots), dir);
    WorkerPool pool = new WorkerPool(new ResultsFolder(dir), new CellRows(plan.spec().name(), build.harnessVersion(), build.gitCommit()),
        slots, WorkerPool.gpuLauncher(SelfCommand.jvm(), grid.runArguments(dir, plan, retryFailed)), new WorkerLines(out(), dir));
    return pool.run(cells, slice, cancel.flag(), retryFailed);
  }
}
