package org.peftharness.submit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.CellSelection;

/**
 * The {@code sbatch} array script for a {@link Submission}. With one cell per task the array's
 * indices are the unfinished cells' own positions ({@code --array=3,7-9}), so a task's index is
 * its cell ({@code harness run --cell-index $SLURM_ARRAY_TASK_ID}); with several cells per task,
 * or positions above the cluster's largest array index, the indices number the groups instead.
 */
public final class SlurmScript {
  /** The array's environment variable, written so that the shell expands it. */
  static final String TASK_ID = "${SLURM_ARRAY_TASK_ID}";

  /** What the user asked of Slurm; null fields are left to the cluster's defaults. */
  public record Options(Integer arrayParallel, String partition, int gpusPerCell, Integer cpusPerCell, String memory,
      String time, List<String> extraSbatch, int maxArraySize) {}

  private SlurmScript() {}

  /** Whether array indices are cell positions (else group numbers). */
  public static boolean indexIsCell(Submission s, Options o) {
    return s.perTask() == 1 && s.cells().get(s.cells().size() - 1).index() < o.maxArraySize();
  }

  public static String render(Submission s, Options o, List<String> harness, Path workdir, Path logDir) {
    boolean byCell = indexIsCell(s, o);
    if (!byCell && s.tasks() > o.maxArraySize()) {
      throw new InvalidInputException("argument --cells-per-task", 0, null, s.cells().size() + " cells make " + s.tasks()
          + " array tasks, more than this cluster's MaxArraySize of " + o.maxArraySize() + "; give --cells-per-task "
          + CellSelection.groups(s.cells().size(), o.maxArraySize()) + " or more");
    }
    String array = byCell ? CellSelection.formatIndices(s.cellIndices()) : (s.tasks() == 1 ? "0" : "0-" + (s.tasks() - 1));
    if (o.arrayParallel() != null) {
      array += "%" + o.arrayParallel();
    }
    List<String> lines = new ArrayList<>();
    lines.add("#!/bin/bash");
    lines.add("# Written by `harness submit --slurm` at " + Instant.now() + " for grid " + s.gridName() + ": " + s.cells().size()
        + " of its " + s.totalCells() + " cells unfinished, " + s.tasks() + " array task(s)"
        + (byCell ? ", each running the cell whose position is its index." : " of up to " + s.perTask() + " cells each."));
    lines.add("# Every task runs `harness run` against the shared results folder " + s.resultsDir().toAbsolutePath().normalize() + ".");
    lines.add("# Submitting the same command again submits only the cells that are still unfinished then.");
    lines.add("#SBATCH --job-name=" + jobName(s.gridName()));
    lines.add("#SBATCH --array=" + array);
    lines.add("#SBATCH --output=" + logDir.resolve("%A_%a.log"));
    if (o.partition() != null) {
      lines.add("#SBATCH --partition=" + o.partition());
    }
    if (o.time() != null) {
      lines.add("#SBATCH --time=" + o.time());
    }
    if (o.gpusPerCell() > 0) {
      lines.add("#SBATCH --gres=gpu:" + o.gpusPerCell());
    }
    if (o.cpusPerCell() != null) {
      lines.add("#SBATCH --cpus-per-task=" + o.cpusPerCell());
    }
    if (o.memory() != null) {
      lines.add("#SBATCH --mem=" + o.memory());
    }
    for (String extra : o.extraSbatch()) {
      lines.add("#SBATCH " + extra);
    }
    lines.add("set -euo pipefail");
    lines.add("cd " + Shell.quote(workdir.toString()));
    lines.add("export HARNESS_NO_BUILD=1  # the tasks share one build; none may rebuild it under the others");
    List<String> args = s.runArguments(TASK_ID, byCell, p -> p.toAbsolutePath().normalize().toString());
    StringBuilder exec = new StringBuilder("exec ").append(Shell.join(harness));
    for (String a : args) {
      exec.append(' ').append(a.equals(TASK_ID) ? "\"" + TASK_ID + "\"" : Shell.quote(a));
    }
    lines.add(exec.toString());
    return String.join("\n", lines) + "\n";
  }

  /** One name per grid, so that {@code squeue --name} finds the grid's earlier jobs. */
  public static String jobName(String grid) {
    return "harness-" + grid.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
