package org.peftharness.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * Runs cells in child processes, one per slot (a GPU) at a time. Each child records its own cell;
 * a child that dies without doing so (a native crash, the kernel's OOM killer) has its cell
 * recorded as FAILED with the exit status and its log, and the slot takes the next cell, so one
 * crashing cell cannot take the others down.
 */
public final class WorkerPool {
  /** Starts the process that runs {@code cell} on {@code slot}, its output going to {@code log}. */
  public interface Launcher {
    Process start(Cell cell, String slot, Path log) throws IOException;
  }

  /** Hears about cells as workers take and finish them. */
  public interface Listener {
    void started(Cell cell, String slot, int position, int total, Path log);

    void ended(Cell cell, String slot, CellStatus status, String reason, double seconds);
  }

  /** A child at work on a cell, and the cell's rows when it started (to tell what the child recorded). */
  private record Running(Cell cell, Process process, Instant start, Path log, int position, List<ResultRow> before) {}

  private final ResultsFolder folder;
  private final CellRows rows;
  private final List<String> slots;
  private final Launcher launcher;
  private final Listener listener;
  /** Whether a worker ended since the queue's tuned cells were last found waiting. */
  private boolean sweepsMayHaveChanged = true;

  public WorkerPool(ResultsFolder folder, CellRows rows, List<String> slots, Launcher launcher, Listener listener) {
    if (slots.isEmpty()) {
      throw new IllegalArgumentException("no worker slots");
    }
    this.folder = folder;
    this.rows = rows;
    this.slots = List.copyOf(slots);
    this.launcher = launcher;
    this.listener = listener;
  }

  public GridRunner.Summary run(List<Cell> cells, Shard shard, BooleanSupplier cancelled, boolean retryFailed)
      throws IOException, InterruptedException {
    Deque<Cell> queue = new ArrayDeque<>();
    int skipped = 0;
    // as GridRunner: results.csv rebuilt from the cells, and a kill's leftovers in finished cells cleared
    folder.resume();
    for (Cell c : cells) {
      if (!shard.contains(c)) {
        continue;
      }
      if (c.evaluations().stream().allMatch(e -> folder.isDone(c.id(), e.id(), retryFailed))) {
        skipped++;
        folder.clearLeftovers(c.id());
      } else {
        queue.add(c);
      }
    }
    int total = queue.size();
    int started = 0;
    int ok = 0;
    int failed = 0;
    int cancelledCount = 0;
    int elsewhere = 0;
    boolean stopping = false;
    Map<String, Running> busy = new LinkedHashMap<>();
    slots.forEach(s -> busy.put(s, null));
    while (true) {
      for (String slot : slots) {
        Cell c = busy.get(slot) == null && !cancelled.getAsBoolean() ? next(queue) : null;
        if (c != null) {
          Path log = folder.dir().resolve("logs").resolve(c.index() + "-" + c.id().substring(0, 12) + ".log");
          Files.createDirectories(log.getParent());
          started++;
          listener.started(c, slot, started, total, log);
          List<ResultRow> before = folder.rows(c.id());
          busy.put(slot, new Running(c, launcher.start(c, slot, log), Instant.now(), log, started, before));
        }
      }
      if (busy.values().stream().allMatch(r -> r == null)) {
        break;
      }
      if (cancelled.getAsBoolean() && !stopping) {
        // the children record their cells as cancelled on SIGTERM, as a single run does on Ctrl-C
        stopping = true;
        busy.values().stream().filter(r -> r != null).forEach(r -> r.process().destroy());
      }
      for (String slot : slots) {
        Running r = busy.get(slot);
        if (r == null || !r.process().waitFor(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        busy.put(slot, null);
        sweepsMayHaveChanged = true;
        int exit = r.process().exitValue();
        double seconds = CellRows.seconds(r.start(), Instant.now());
        List<ResultRow> after = folder.rows(r.cell().id());
        List<Evaluation> unrecorded = r.cell().evaluations().stream()
            .filter(e -> !folder.isDone(r.cell().id(), e.id(), false) && of(e, after).equals(of(e, r.before()))).toList();
        boolean recordedAny = r.cell().evaluations().stream().anyMatch(e -> !of(e, after).equals(of(e, r.before())));
        if (!recordedAny && exit == 0) {
          elsewhere++; // the child found the cell claimed by another live process and left it
          listener.ended(r.cell(), slot, null, "another process is running it", seconds);
          continue;
        }
        String reason = null;
        if (exit != 0 && !unrecorded.isEmpty()) {
          reason = "worker process on GPU " + slot + " " + describe(exit) + " without recording "
              + (unrecorded.size() == r.cell().evaluations().size() ? "the cell" : "evaluations " + unrecorded.stream().map(Evaluation::task).toList())
              + "; its log: " + folder.dir().relativize(r.log());
          for (Evaluation e : unrecorded) {
            folder.commitEvaluation(r.cell().id(), e.id(), e.task(),
                List.of(rows.ended(r.cell(), e, CellStatus.FAILED, reason, r.start(), Instant.now())));
          }
        }
        List<ResultRow> recorded = folder.rows(r.cell().id());
        CellStatus st = CellStatus.OK;
        for (ResultRow row : recorded) {
          if (row.status() == CellStatus.CANCELLED || (row.status() == CellStatus.FAILED && st == CellStatus.OK)) {
            st = row.status();
            reason = reason != null ? reason : row.reason();
          }
        }
        // the worker is gone; a claim it left (killed before or after committing) is abandoned
        Files.deleteIfExists(folder.cellDir(r.cell().id()).resolve(CellClaim.FILE));
        switch (st) {
          case OK -> ok++;
          case FAILED -> failed++;
          case CANCELLED -> cancelledCount++;
        }
        listener.ended(r.cell(), slot, st, reason, seconds);
      }
    }
    // left in the queue: tuned cells whose sweep no worker of this run validated (another shard's, or not
    // selected), which wait for a later run; and, after a cancellation, the cells not started
    int waiting = 0;
    for (Cell c : queue) {
      if (TunedCells.isTuned(c) && TunedChoice.of(c, folder) instanceof TunedChoice.Waiting w) {
        waiting++;
        listener.ended(c, "-", null, TunedChoice.describe(w), 0);
      }
    }
    return new GridRunner.Summary(skipped + total, skipped, ok, failed, cancelledCount, elsewhere, waiting);
  }

  /**
   * The first queued cell that can start. A tuned cell's sweep is read again only after a worker
   * ended (that is when its rows can have changed), not at every 100 ms turn of the loop.
   */
  private Cell next(Deque<Cell> queue) {
    for (Cell c : queue) {
      if (!TunedCells.isTuned(c) || (sweepsMayHaveChanged && !(TunedChoice.of(c, folder) instanceof TunedChoice.Waiting))) {
        queue.remove(c);
        return c;
      }
    }
    sweepsMayHaveChanged = false;
    return null;
  }

  private static List<ResultRow> of(Evaluation e, List<ResultRow> rows) {
    return rows.stream().filter(r -> r.evalId().equals(e.id())).toList();
  }

  /**
   * What CUDA_VISIBLE_DEVICES takes: a device index, or a GPU or MIG UUID (or a unique prefix of one);
   * MIG devices also in the older MIG-GPU-uuid/gi/ci form (CUDA C Programming Guide, "CUDA Environment Variables").
   */
  private static final Pattern GPU_ID = Pattern.compile("[0-9]{1,4}|GPU-[0-9a-fA-F][0-9a-fA-F-]*|MIG-(GPU-)?[0-9a-fA-F][0-9a-fA-F-]*(/[0-9]+/[0-9]+)?");

  /**
   * Checks a {@code --gpus} list: each entry a device index or a GPU-/MIG- UUID, none twice.
   */
  public static List<String> gpuSlots(List<String> gpus) {
    for (String g : gpus) {
      if (!GPU_ID.matcher(g).matches()) {
        throw new InvalidInputException("argument --gpus", 0, null, "'" + g + "' is not a GPU: give device indices (0,1)"
            + " or UUIDs as nvidia-smi -L lists them (GPU-..., MIG-...)");
      }
    }
    if (gpus.stream().distinct().count() != gpus.size()) {
      throw new InvalidInputException("argument --gpus", 0, null, "a GPU is listed twice: " + String.join(",", gpus));
    }
    return List.copyOf(gpus);
  }

  /**
   * Child harness processes, one cell each, that see only their GPU: {@code CUDA_VISIBLE_DEVICES}
   * pins TensorFlow to it and {@code HARNESS_WORKER_GPU} names it in the cell's provenance.
   *
   * @param harness the command that starts this harness (launcher or JVM command line)
   */
  public static Launcher gpuLauncher(List<String> harness, RunArguments run) {
    return (cell, gpu, log) -> {
      List<String> cmd = new ArrayList<>(harness);
      cmd.addAll(run.render(List.of("--cell-index", Integer.toString(cell.index())), p -> p.toAbsolutePath().toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("CUDA_VISIBLE_DEVICES", gpu);
      pb.environment().put("HARNESS_WORKER_GPU", gpu);
      return pb.start();
    };
  }

  static String describe(int exit) {
    return exit > 128 ? "was killed by signal " + (exit - 128) + " (exit status " + exit + ")" : "exited with status " + exit;
  }
}
