package org.peftharness.cli;

import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellSelection;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.Shard;
import picocli.CommandLine.Option;

/** Which of a grid's cells {@code run} runs: a shard, positions, an array task's group, and the plan it expects. */
final class CellSelectionOptions {
  @Option(names = "--shard", paramLabel = "i/n", description = "Run only slice i of n (processes may share one results folder).")
  String shard;

  @Option(names = "--cell-index", paramLabel = "LIST",
      description = "Run only these cells, by position as 'harness plan' lists them: 3, or 0-9,12 (schedulers' array tasks use this).")
  String cellIndex;

  @Option(names = "--task-index", paramLabel = "N",
      description = "Of the selected cells, run only group N of --cells-per-task (an array task's index).")
  Integer taskIndex;

  @Option(names = "--cells-per-task", paramLabel = "K", description = "Group size for --task-index (default 1).")
  Integer cellsPerTask;

  @Option(names = "--expect-plan", paramLabel = "FINGERPRINT",
      description = "Refuse to run unless the grid still has this plan fingerprint (set by 'harness submit', so that a job never runs an edited grid's cells).")
  String expectPlan;

  Shard shard() {
    return shard == null ? Shard.ALL : Shard.parse(shard);
  }

  CellSelection selection() {
    return CellSelection.of(cellIndex, taskIndex, cellsPerTask);
  }

  /** The selected cells; a job whose grid was edited since submission is refused rather than run. */
  List<Cell> cells(GridPlan plan, Path grid) {
    if (expectPlan != null && !expectPlan.equals(plan.fingerprint())) {
      throw new InvalidInputException("argument --expect-plan", 0, null, "the grid " + grid + " now has plan "
          + plan.fingerprint() + ", not " + expectPlan + ": it was edited after the job was submitted; submit again");
    }
    return selection().apply(plan.cells());
  }
}
