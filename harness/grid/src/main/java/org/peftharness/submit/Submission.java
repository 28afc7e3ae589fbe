package org.peftharness.submit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellSelection;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RunArguments;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.ResultsFolder;

/**
 * What a scheduler is handed: the grid's unfinished cells (by position in the plan), grouped
 * {@code perTask} to an array task, and the {@code harness run} arguments each task runs. Cells
 * that are finished, or running in a live process, are left out, so submitting the same command
 * again submits only what is still to do.
 */
public record Submission(String gridName, Path grid, Path resultsDir, Path dataDir, Path modelsDir, String fingerprint,
    List<Cell> cells, int perTask, boolean retryFailed, int totalCells) {

  /**
   * The unfinished cells of {@code plan} given what the results folder holds; cells in
   * {@code queued} (ids still waiting in an earlier job) are left out too.
   */
  public static Submission of(GridPlan plan, RunArguments run, List<Cell> candidates, int perTask, Set<String> queued) {
    var report = FolderStatus.of(new ResultsFolder(run.resultsDir()), plan.manifest().cells());
    List<Cell> todo = new ArrayList<>();
    for (Cell c : candidates) {
      FolderStatus.State s = report.cells().get(c.index()).state();
      if (s.unfinished(run.retryFailed()) && !queued.contains(c.id())) {
        todo.add(c);
      }
    }
    return new Submission(plan.spec().name(), run.grid(), run.resultsDir(), run.dataDir(), run.modelsDir(), plan.fingerprint(),
        List.copyOf(todo), perTask, run.retryFailed(), plan.cells().size());
  }

  public boolean isEmpty() {
    return cells.isEmpty();
  }

  /** How many array tasks (Slurm) or completions (Kubernetes) the job has. */
  public int tasks() {
    return CellSelection.groups(cells.size(), perTask);
  }

  public List<Integer> cellIndices() {
    return cells.stream().map(Cell::index).toList();
  }

  /** The cells that array task {@code task} runs. */
  public List<Cell> cellsOfTask(int task) {
    return cells.subList(task * perTask, Math.min(cells.size(), (task + 1) * perTask));
  }

  /**
   * The arguments after {@code harness} for one array task, its index written as
   * {@code taskIndex} (e.g. {@code $SLURM_ARRAY_TASK_ID}). With {@code indexIsCell} the index is
   * the cell's own position (a Slurm array over exactly the unfinished positions, one cell per
   * task); otherwise it picks a group from the listed cells. {@code path} writes each path as the
   * job will see it (absolute on a cluster's shared file system; relative to the volume in a pod).
   */
  public List<String> runArguments(String taskIndex, boolean indexIsCell, Function<Path, String> path) {
    List<String> selection = indexIsCell ? List.of("--cell-index", taskIndex)
        : List.of("--cell-index", CellSelection.formatIndices(cellIndices()), "--cells-per-task", Integer.toString(perTask),
            "--task-index", taskIndex);
    return new RunArguments(grid, resultsDir, dataDir, modelsDir, fingerprint, retryFailed).render(selection, path);
  }

}
