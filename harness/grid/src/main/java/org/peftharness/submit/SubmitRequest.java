package org.peftharness.submit;

import java.nio.file.Path;
import java.util.List;
import org.peftharness.grid.Cell;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RunArguments;

/**
 * What any scheduler submission starts from: the plan, how its tasks call {@code harness run},
 * the candidate cells (unfinished ones among them are submitted), how many cells a task runs, and
 * whether to only write the script or manifest.
 */
public record SubmitRequest(GridPlan plan, RunArguments run, List<Cell> candidates, int cellsPerTask, boolean dryRun) {
  public Path resultsDir() {
    return run.resultsDir();
  }
}
