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

  private final String grid;
  private final ResultsFolder folder;
  private final CellExecutor executor;
  private final Listener listener;
  private final String harnessVersion;
  private final String gitCommit;

  public GridRunner(String grid, ResultsFolder folder, CellExecutor executor, Listener listener, String harnessVersion,
      String gitCommit) {
    this.grid = grid;
    this.folder = folder;
    this.executor = executor;
    this.listener = listener;
    this.harnessVersion = harnessVersion;
    this.gitCommit = gitCommit;
  }

  public Summary run(List<Cell> cells, Shard shard, BooleanSupplier cancelled, boolean retryFailed) throws IOException {
    List<Cell> mine = cells.stream().filter(shard::contains).toList();
    List<Cell> pending = new ArrayList<>();
    for (Cell c : mine) {
      Optional<CellStatus> s = folder.status(c.id());
      boolean done = s.isPresent() && s.get().isFinal() && !(retryFailed && s.get() == CellStatus.FAILED);
      if (!done) {
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
        Optional<CellStatus> now = folder.status(cell.id());
        if (now.isPresent() && now.get().isFinal() && !(retryFailed && now.get() == CellStatus.FAILED)) {
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
    List<ResultRow> rows;
    CellProgress progress = listener.cellStarted(cell, position, pendingCount);
    try {
      CellResult r = executor.run(cell, dir, cancelled, progress);
      rows = okRows(cell, r, start, Instant.now());
      status = CellStatus.OK;
    } catch (CellExecutor.CellCancelledException e) {
      status = CellStatus.CANCELLED;
      reason = e.getMessage();
      rows = List.of(endRow(cell, status, reason, start, Instant.now()));
    } catch (CellExecutor.CellFailedException e) {
      status = CellStatus.FAILED;
      reason = e.getMessage();
      rows = List.of(endRow(cell, status, reason, start, Instant.now()));
    } catch (OutOfMemoryError e) {
      status = CellStatus.FAILED;
      reason = "out of memory: " + e.getMessage();
      rows = List.of(endRow(cell, status, reason, start, Instant.now()));
    } catch (Exception | StackOverflowError | LinkageError e) {
      status = CellStatus.FAILED;
      reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      writeStackTrace(dir, e);
      rows = List.of(endRow(cell, status, reason, start, Instant.now()));
    }
    folder.commit(cell.id(), rows);
    listener.cellEnded(cell, status, reason, seconds(start, Instant.now()));
    return status;
  }

  /**
   * Records a cell whose process died without recording it (a crashed worker), unless the cell has
   * rows by now: FAILED with the reason, so that the grid goes on and the cause is visible.
   */
  public void recordLost(Cell cell, String reason, Instant start) throws IOException {
    if (folder.status(cell.id()).isEmpty()) {
      folder.commit(cell.id(), List.of(endRow(cell, CellStatus.FAILED, reason, start, Instant.now())));
    }
    Files.deleteIfExists(folder.cellDir(cell.id()).resolve(CellClaim.FILE)); // its holder is dead
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

  private List<ResultRow> okRows(Cell c, CellResult r, Instant start, Instant end) {
    List<ResultRow> rows = new ArrayList<>();
    for (CellResult.Metric m : r.metrics()) {
      rows.add(new ResultRow(grid, c.id(), c.index(), c.model(), c.method(), c.rank(), c.task(), c.seed(), CellStatus.OK,
          m.metric(), m.protocol(), m.protocolVersion(), m.value(), m.n(), m.higherIsBetter(), r.trainableParams(),
          r.totalParams(), r.tokensPerSecond(), seconds(start, end), start.toString(), end.toString(), harnessVersion,
          gitCommit, null));
    }
    return rows;
  }

  private ResultRow endRow(Cell c, CellStatus status, String reason, Instant start, Instant end) {
    return new ResultRow(grid, c.id(), c.index(), c.model(), c.method(), c.rank(), c.task(), c.seed(), status, null, null,
        null, null, null, null, null, null, null, seconds(start, end), start.toString(), end.toString(), harnessVersion,
        gitCommit, reason);
  }

  private static double seconds(Instant a, Instant b) {
    return (b.toEpochMilli() - a.toEpochMilli()) / 1000.0;
  }
}
