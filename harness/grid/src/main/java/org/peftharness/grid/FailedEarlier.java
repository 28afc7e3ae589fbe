package org.peftharness.grid;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultsFolder;

/**
 * The cells a run leaves failed because they failed in an earlier run (a failed evaluation is final
 * unless {@code --retry-failed}). The summary names them, so that "0 failed" after a rerun is not
 * read as success when the data has been fixed but the cells were never run again.
 */
public final class FailedEarlier {
  private FailedEarlier() {}

  /** How many of {@code cells} in {@code shard} have an evaluation recorded FAILED in {@code folder}, counted before the run. */
  public static int count(ResultsFolder folder, List<Cell> cells, Shard shard) {
    int n = 0;
    for (Cell c : cells) {
      if (!shard.contains(c)) {
        continue;
      }
      Set<String> evals = c.evaluations().stream().map(Evaluation::id).collect(Collectors.toSet());
      if (folder.rows(c.id()).stream().anyMatch(r -> r.status() == CellStatus.FAILED && evals.contains(r.evalId()))) {
        n++;
      }
    }
    return n;
  }
}
