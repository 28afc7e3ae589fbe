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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.peftharness.results.AtomicFiles;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultsFolder;

/**
 * Runs a grid's pending cells one after another. A cell is pending while one of its evaluations
 * has not finished (OK or FAILED), so a rerun of the same command resumes, and a task added to a
 * finished grid runs only its new evaluations, on the stored training. An interrupted cell starts
 * again from its stored training, or from scratch when it has none; a cell that
 * fails is recorded with its reason and the grid goes on; a cancellation is recorded and ends the
 * run cleanly. A cell another live process holds (see {@link CellClaim}) is left to it, so any
 * number of processes, on any hosts, can share a results folder.
 */
public final class GridRunner {
  /** How a run of the grid went. */
  public record Summary(int inShard, int skipped, int ok, int failed, int cancelled, int heldElsewhere, int waiting) {
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

    /** A tuned cell whose sweep is not validated yet; a later run chooses its point and trains it. */
    default void cellWaiting(Cell cell, String why) {}
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
    // the cells' rows are the truth: a torn or missing results.csv, or a kill's leftovers, never stop a resume
    folder.resume();
    List<Cell> pending = new ArrayList<>();
    for (Cell c : mine) {
      if (!pendingEvaluations(c, retryFailed).isEmpty()) {
        pending.add(c);
      } else {
        folder.clearLeftovers(c.id());
      }
    }
    int skipped = mine.size() - pending.size();
    listener.start(pending.size(), skipped);
    int ok = 0;
    int failed = 0;
    int cancelledCount = 0;
    int elsewhere = 0;
    int waiting = 0;
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
        // its evaluations may have finished between our first look and the claim
        List<Evaluation> todo = pendingEvaluations(cell, retryFailed);
        if (todo.isEmpty()) {
          skipped++;
          continue;
        }
        Cell toRun = cell;
        if (TunedCells.isTuned(cell)) {
          TunedChoice.Outcome choice = TunedChoice.of(cell, folder);
          if (choice instanceof TunedChoice.Waiting w) {
            waiting++;
            listener.cellWaiting(cell, TunedChoice.describe(w));
            continue;
          }
          if (choice instanceof TunedChoice.Failed f) {
            failed++;
            recordFailed(cell, todo, f.reason(), i + 1, pending.size());
            continue;
          }
          toRun = ((TunedChoice.Ready) choice).cell();
        }
        CellStatus status = runClaimed(toRun, todo, held, i + 1, pending.size(), cancelled);
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
    return new Summary(mine.size(), skipped, ok, failed, cancelledCount, elsewhere, waiting);
  }

  /** A cell that cannot start (a tuned cell with no usable sweep point): each pending evaluation is recorded failed. */
  private void recordFailed(Cell cell, List<Evaluation> todo, String reason, int position, int pendingCount) throws IOException {
    Instant start = Instant.now();
    listener.cellStarted(cell, position, pendingCount);
    for (Evaluation e : todo) {
      folder.commitEvaluation(cell.id(), e.id(), e.task(), List.of(rows.ended(cell, e, CellStatus.FAILED, reason, start, Instant.now())));
    }
    listener.cellEnded(cell, CellStatus.FAILED, reason, CellRows.seconds(start, Instant.now()));
  }

  private List<Evaluation> pendingEvaluations(Cell cell, boolean retryFailed) {
    return cell.evaluations().stream().filter(e -> !folder.isDone(cell.id(), e.id(), retryFailed)).toList();
  }

  /** Runs a claimed cell's pending evaluations (training first unless stored); its status is the worst of theirs. */
  private CellStatus runClaimed(Cell cell, List<Evaluation> todo, CellClaim claim, int position, int pendingCount,
      BooleanSupplier cancelled) throws IOException {
    Path dir = folder.cellDir(cell.id());
    prepare(dir, claim.file(), todo);
    Instant start = Instant.now();
    CellProgress progress = listener.cellStarted(cell, position, pendingCount);
    Map<String, CellStatus> ended = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    CellExecutor.EvaluationSink sink = new CellExecutor.EvaluationSink() {
      @Override
      public void evaluated(Evaluation e, CellResult r) throws IOException {
        folder.commitEvaluation(cell.id(), e.id(), e.task(), rows.ok(cell, e, r, start, Instant.now()));
        ended.put(e.id(), CellStatus.OK);
      }

      @Override
      public void failed(Evaluation e, String reason) throws IOException {
        folder.commitEvaluation(cell.id(), e.id(), e.task(), List.of(rows.ended(cell, e, CellStatus.FAILED, reason, start, Instant.now())));
        ended.put(e.id(), CellStatus.FAILED);
        failures.add(e.task() + ": " + reason);
      }
    };
    CellStatus rest = null;
    String reason = null;
    try {
      executor.run(cell, todo, dir, cancelled, progress, sink);
    } catch (CellExecutor.CellCancelledException e) {
      rest = CellStatus.CANCELLED;
      reason = e.getMessage();
    } catch (CellExecutor.CellFailedException e) {
      rest = CellStatus.FAILED;
      reason = e.getMessage();
    } catch (OutOfMemoryError e) {
      rest = CellStatus.FAILED;
      reason = "out of memory: " + e.getMessage();
    } catch (Exception | StackOverflowError | LinkageError e) {
      rest = CellStatus.FAILED;
      reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      writeStackTrace(dir, e);
    }
    String unfinished = rest != null ? reason : "the executor ended without evaluating it";
    boolean left = false;
    for (Evaluation e : todo) {
      if (!ended.containsKey(e.id())) {
        CellStatus s = rest != null ? rest : CellStatus.FAILED;
        folder.commitEvaluation(cell.id(), e.id(), e.task(), List.of(rows.ended(cell, e, s, unfinished, start, Instant.now())));
        ended.put(e.id(), s);
        left = true;
      }
    }
    CellStatus status = ended.containsValue(CellStatus.CANCELLED) ? CellStatus.CANCELLED
        : ended.containsValue(CellStatus.FAILED) ? CellStatus.FAILED : CellStatus.OK;
    // what the listener shows: why the evaluations left over ended, else the first that failed on its own
    String why = left ? unfinished : failures.isEmpty() ? null : failures.get(0);
    listener.cellEnded(cell, status, status == CellStatus.OK ? null : why, CellRows.seconds(start, Instant.now()));
    return status;
  }

  /**
   * A restarted cell must not mix files of its interrupted attempt with the new ones: without a
   * stored training everything but the claim and the finished evaluations' rows goes; with one,
   * the folders of the evaluations about to run and temporary files of writes a kill interrupted.
   */
  private static void prepare(Path dir, Path keep, List<Evaluation> todo) throws IOException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
      return;
    }
    if (CellLayout.hasStoredTraining(dir)) {
      AtomicFiles.deleteLeftovers(dir, Integer.MAX_VALUE, null);
      for (Evaluation e : todo) {
        delete(CellLayout.evalDir(dir, e), null);
      }
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (!p.equals(keep) && !p.getFileName().toString().equals(ResultsFolder.ROWS_CSV)) {
          delete(p, null);
        }
      }
    }
  }

  private static void delete(Path root, Path keep) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(keep)) {
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
