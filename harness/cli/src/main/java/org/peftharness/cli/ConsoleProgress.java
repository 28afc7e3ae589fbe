package org.peftharness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.peftharness.core.text.Durations;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellProgress;
import org.peftharness.grid.GridRunner;
import org.peftharness.results.CellStatus;

/**
 * Shows a grid's progress: on a terminal, one line per cell that updates in place (phase, steps,
 * loss, ETA); elsewhere (CI logs, files) plain lines at most every few seconds, so logs stay
 * readable.
 */
final class ConsoleProgress implements GridRunner.Listener {
  private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private int pending;

  ConsoleProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void start(int pending, int skipped) {
    this.pending = pending;
    out.printf(Locale.ROOT, "%d cell(s) to run, %d already done%n", pending, skipped);
    out.flush();
  }

  @Override
  public CellProgress cellStarted(Cell cell, int position, int total) {
    out.printf(Locale.ROOT, "[%d/%d] %s  (%s)%n", position, total, cell.label(), cell.id().substring(0, 12));
    out.flush();
    return new Line(position);
  }

  @Override
  public void cellEnded(Cell cell, CellStatus status, String reason, double seconds) {
    if (terminal) {
      out.print("\r\033[K");
    }
    out.printf(Locale.ROOT, "  %s in %s%s%n", status, Durations.format(seconds), reason == null ? "" : ": " + reason);
    out.flush();
  }

  @Override
  public void cellElsewhere(Cell cell) {
    out.printf(Locale.ROOT, "  skipped %s: another process is running it%n", cell.label());
    out.flush();
  }

  @Override
  public void cellWaiting(Cell cell, String why) {
    out.printf(Locale.ROOT, "  skipped %s: %s%n", cell.label(), why);
    out.flush();
  }

  private final class Line implements CellProgress {
    private final int position;
    private String phase = "";
    private long total;
    private long phaseStart;
    private long lastPrint;

    Line(int position) {
      this.position = position;
    }

    @Override
    public void phase(String name, long totalSteps) {
      phase = name;
      total = totalSteps;
      phaseStart = System.nanoTime();
      lastPrint = 0;
      if (!terminal) {
        out.printf(Locale.ROOT, "  %s%s%n", name, totalSteps > 0 ? " (" + totalSteps + " steps)" : "");
        out.flush();
      }
    }

    @Override
    public void step(long done, double loss) {
      long now = System.nanoTime();
      boolean last = done >= total && total > 0;
      if (!terminal && !last && now - lastPrint < PLAIN_INTERVAL_NANOS) {
        return;
      }
      lastPrint = now;
      double elapsed = (now - phaseStart) / 1e9;
      String eta = done > 0 && total > done ? " ETA " + Durations.format(elapsed / done * (total - done)) : "";
      String lossText = Double.isNaN(loss) ? "" : String.format(Locale.ROOT, "  loss %.4f", loss);
      String steps = total > 0 ? String.format(Locale.ROOT, "%d/%d", done, total) : Long.toString(done);
      if (terminal) {
        out.printf(Locale.ROOT, "\r\033[K  %s %s %s%s%s", phase, bar(done, total), steps, lossText, eta);
      } else {
        out.printf(Locale.ROOT, "  %s %s%s%s%n", phase, steps, lossText, eta);
      }
      out.flush();
    }
  }

  private static String bar(long done, long total) {
    if (total <= 0) {
      return "";
    }
    int width = 20;
    int filled = (int) Math.min(width, done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }
}
