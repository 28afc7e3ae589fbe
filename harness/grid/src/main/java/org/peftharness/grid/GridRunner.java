package org.peftharness.grid;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * Runs a grid's pending cells one after another. Finished cells (OK or FAILED) are skipped, so a
 * rerun of the same command resumes; an interrupted cell starts again from scratch; a cell that
 * fails is recorded with its reason and the grid goes on; a cancellation is recorded and ends the
 * run cleanly. A cell another live process holds (see {@link CellClaim}) is left to it, so any
 * number of processes, on any hosts, can share a results folder.
 */
public final class GridRunner {
  /** How a run of the grid went. */
  public record Summary(int inShard, int skipped, int ok, int failed, int cancelled, int heldElsewhere) {
    public boolean interrupted() {
      return cancelled > 0;
    }
  }

  /** Hears about cells as they start and end (progress display, logs). */
  public interface Listener {
    void start(int pending, int skipped);

    CellProgress cellStarted(Cell cell, int position, int pending);

    void cellEnded(Cell cell, CellStatus status, String reason, double seconds);

    /** The cell is being run by another live process sharing the results folder; this one leaves it. */
    default void cellElsewhere(Cell cell) {}
  }

  private final ResultsFolder folder;
  private final CellExecutor executor;
  private final Listener listener;
  private final CellRows rows;

  public GridRunner(String grid, ResultsFolder folder, CellExecutor executor, Listener listener, String harnessVersion,
      String gitCommit) {
    this.folder = folder;
    this.executor = executor;
    this.listener = listener;
    this.rows = new CellRows(grid, harnessVersion, gitCommit);
  }

  public Summary run(List<Cell> cells, Shard shard, BooleanSupplier cancelled, boolean retryFailed) throws IOException {
    List<Cell> mine = cells.stream().filter(shard::contains).toList();
    List<Cell> pending = new ArrayList<>();
    for (Cell c : mine) {
      if (!folder.isDone(c.id(), retryFailed)) {
        pending.add(c);
      }
    }
    int skipped = mine.size() - pending.size();
    listener.start(pending.size(), skipped);
    int ok = 0;
    int failed = 0;
    int cancelledCount = 0;
    int elsewhere = 0;
    for (int i = 0; i < pending.size(); i++) {
      if (cancelled.getAsBoolean()) {
        break;
      }
      Cell cell = pending.get(i);
      Optional<CellClaim> claim = folder.claim(cell.id());
      if (claim.isEmpty()) {
        elsewhere++;
        listener.cellElsewhere(cell);
        continue;
      }
      try (CellClaim held = claim.get()) {
        // it may have finished between our first look and the claim
        if (folder.isDone(cell.id(), retryFailed)) {
          skipped++;
          continue;
        }
        CellStatus status = runClaimed(cell, held, i + 1, pending.size(), cancelled);
        switch (status) {
          case OK -> ok++;
          case FAILED -> failed++;
          case CANCELLED -> cancelledCount++;
        }
        if (status == CellStatus.CANCELLED) {
          break;
        }
      }
    }
    return new Summary(mine.size(), skipped, ok, failed, cancelledCount, elsewhere);
  }

  private CellStatus runClaimed(Cell cell, CellClaim claim, int position, int pendingCount, BooleanSupplier cancelled)
      throws IOException {
    Path dir = folder.cellDir(cell.id());
    clear(dir, claim.file());
    Instant start = Instant.now();
    CellStatus status;
    String reason = null;
    List<ResultRow> recorded;
    CellProgress progress = listener.cellStarted(cell, position, pendingCount);
    try {
      CellResult r = executor.run(cell, dir, cancelled, progress);
      recorded = rows.ok(cell, r, start, Instant.now());
      status = CellStatus.OK;
    } catch (CellExecutor.CellCancelledException e) {
      status = CellStatus.CANCELLED;
      reason = e.getMessage();
      recorded = List.of(rows.ended(cell, status, reason, start, Instant.now()));
    } catch (CellExecutor.CellFailedException e) {
      status = CellStatus.FAILED;
      reason = e.getMessage();
      recorded = List.of(rows.ended(cell, status, reason, start, Instant.now()));
    } catch (OutOfMemoryError e) {
      status = CellStatus.FAILED;
      reason = "out of memory: " + e.getMessage();
      recorded = List.of(rows.ended(cell, status, reason, start, Instant.now()));
    } catch (Exception | StackOverflowError | LinkageError e) {
      status = CellStatus.FAILED;
      reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      writeStackTrace(dir, e);
      recorded = List.of(rows.ended(cell, status, reason, start, Instant.now()));
    }
    folder.commit(cell.id(), recorded);
    listener.cellEnded(cell, status, reason, CellRows.seconds(start, Instant.now()));
    return status;
  }

  /** A restarted cell must not mix files of its interrupted attempt with the new ones; only the claim stays. */
  private static void clear(Path dir, Path keep) throws IOException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir) && !p.equals(keep)) {
          Files.delete(p);
        }
      }
    }
  }

  private static void writeStackTrace(Path dir, Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    try {
      Files.writeString(dir.resolve("error.log"), w.toString());
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
  }
}
