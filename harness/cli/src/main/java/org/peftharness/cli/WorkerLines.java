package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.peftharness.core.text.Durations;
import org.peftharness.grid.Cell;
import org.peftharness.grid.WorkerPool;
import org.peftharness.results.CellStatus;

/** A line on the console as each GPU worker takes a cell and as it ends. */
record WorkerLines(PrintWriter out, Path resultsDir) implements WorkerPool.Listener {
  @Override
  public void started(Cell cell, String gpu, int position, int total, Path log) {
    out.printf(Locale.ROOT, "[%d/%d] GPU %s: %s  (%s; log %s)%n", position, total, gpu, cell.label(),
        cell.id().substring(0, 12), resultsDir.relativize(log));
    out.flush();
  }

  @Override
  public void ended(Cell cell, String gpu, CellStatus status, String reason, double seconds) {
    out.printf(Locale.ROOT, "  GPU %s: %s %s in %s%s%n", gpu, status == null ? "skipped" : status, cell.label(),
        Durations.format(seconds), reason == null ? "" : ": " + reason);
    out.flush();
  }
}
