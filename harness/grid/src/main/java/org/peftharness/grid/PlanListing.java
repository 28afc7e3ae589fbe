package org.peftharness.grid;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.peftharness.core.text.Durations;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.train.memory.ByteSize;
import org.peftharness.train.memory.MemoryEstimate;
import org.peftharness.train.memory.MemoryTerm;

/**
 * A grid's cells as {@code harness plan} and {@code run --dry-run} list them: position, id, status
 * in the results folder, and time taken or an estimate from finished cells of the same model,
 * method and training data (else from all finished cells), the estimated peak memory
 * ({@link CellMemory}; against a device's memory, whether it fits and what would); under a cell
 * that trains once for several tasks, the tasks it is evaluated on.
 */
public final class PlanListing {
  private PlanListing() {}

  /**
   * How the listing shows memory: the device's bytes to check cells against (empty: no check) and
   * what they came from, and whether each cell's estimate is broken down by term.
   */
  public record MemoryView(OptionalLong deviceBytes, String deviceSource, boolean breakdown, TaskRegistry tasks) {}

  public static void print(GridPlan plan, Path outDir, Shard shard, PrintWriter out) {
    print(plan, outDir, shard, out, new MemoryView(OptionalLong.empty(), "", false, TaskRegistry.builtin()));
  }

  public static void print(GridPlan plan, Path outDir, Shard shard, PrintWriter out, MemoryView memory) {
    ResultsFolder folder = new ResultsFolder(outDir);
    List<ResultRow> rows = folder.allCellRows();
    Map<String, Double> seconds = new HashMap<>();
    Map<String, double[]> byKind = new HashMap<>();
    Map<String, String> kinds = new HashMap<>();
    for (ResultRow r : rows) {
      if (r.wallSeconds() != null) {
        // the last evaluation's wall time covers the cell's training and all its evaluations
        seconds.merge(r.cellId(), r.wallSeconds(), Math::max);
        kinds.put(r.cellId(), kind(r.model(), r.method(), r.trainOn()));
      }
    }
    seconds.forEach((id, t) -> {
      double[] s = byKind.computeIfAbsent(kinds.get(id), k -> new double[2]);
      s[0] += t;
      s[1]++;
    });
    double overall = seconds.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    List<FolderStatus.CellState> states = FolderStatus.of(folder, plan.manifest().cells()).cells();
    double left = 0;
    int pending = 0;
    boolean unknown = false;
    int shown = 0;
    int evaluations = 0;
    boolean check = memory.deviceBytes().isPresent();
    long device = memory.deviceBytes().orElse(Long.MAX_VALUE);
    List<CellMemory> over = new ArrayList<>();
    String pad = " ".repeat(check ? 58 : 52); // under the "what" column
    out.printf(Locale.ROOT, "%-5s %-12s %-10s %-10s %-10s %s%s%n", "cell", "id", "status", "time", "peak", check ? "fits  " : "",
        "what");
    for (Cell c : plan.cells()) {
      if (!shard.contains(c)) {
        continue;
      }
      shown++;
      FolderStatus.State st = states.get(c.index()).state();
      String time;
      if (st == FolderStatus.State.OK || st == FolderStatus.State.FAILED) {
        time = Durations.format(seconds.getOrDefault(c.id(), 0.0));
      } else {
        pending++;
        double[] k = byKind.get(kind(c.model(), c.method(), c.trainOn()));
        double est = k != null ? k[0] / k[1] : overall;
        if (Double.isNaN(est)) {
          unknown = true;
          time = "?";
        } else {
          left += est;
          time = "~" + Durations.format(est);
        }
      }
      CellMemory mem = CellMemory.of(c, plan, memory.tasks());
      boolean fits = mem.fits(device);
      out.printf(Locale.ROOT, "%-5d %-12s %-10s %-10s %-10s %s%s%n", c.index(), c.id().substring(0, 12),
          st.name().toLowerCase(Locale.ROOT), time, "~" + ByteSize.format(mem.peak().total()).replace(" ", ""),
          check ? (fits ? "yes   " : "NO    ") : "", c.label());
      if (memory.breakdown()) {
        printBreakdown(mem, pad, out);
      }
      if (!fits) {
        over.add(mem);
        mem.advice(device).forEach(a -> out.printf(Locale.ROOT, "%s%s%n", pad, a));
      }
      evaluations += c.evaluations().size();
      if (!c.trainsOnItsOnlyTask()) {
        out.printf(Locale.ROOT, "%sevaluated on %d: %s%n", pad, c.evaluations().size(),
            String.join(", ", c.evaluations().stream().map(Evaluation::label).toList()));
      }
    }
    out.printf(Locale.ROOT, "%d trainings, %d evaluations%n", shown, evaluations);
    out.printf(Locale.ROOT, "%d pending; estimated time left: %s%s%n", pending,
        pending == 0 ? "none" : unknown && left == 0 ? "unknown until a cell has finished" : "~" + Durations.format(left),
        unknown && left > 0 ? " plus cells with no estimate yet" : "");
    if (check) {
      out.printf(Locale.ROOT, "device memory %s (%s): %s%n", ByteSize.format(device), memory.deviceSource(),
          over.isEmpty() ? "every cell fits" : over.size() + " of " + shown + " cells do not fit: "
              + String.join(", ", over.stream().map(m -> Integer.toString(m.cell().index())).toList()));
    }
    out.printf(Locale.ROOT, "results folder: %s%n", outDir);
    out.flush();
  }

  /** Every phase's estimate of one cell, term by term, with the reason for each. */
  private static void printBreakdown(CellMemory mem, String pad, PrintWriter out) {
    List<MemoryEstimate> phases = new ArrayList<>();
    phases.add(mem.training());
    mem.prePass().ifPresent(phases::add);
    for (int i = 0; i < mem.evaluations().size(); i++) {
      MemoryEstimate e = mem.evaluations().get(i);
      phases.add(new MemoryEstimate(e.phase() + " (" + mem.cell().evaluations().get(i).task() + ")", e.terms()));
    }
    for (MemoryEstimate e : phases) {
      if (e.terms().isEmpty()) {
        continue;
      }
      out.printf(Locale.ROOT, "%s%s: %s%n", pad, e.phase(), ByteSize.format(e.total()));
      for (MemoryTerm t : e.terms()) {
        out.printf(Locale.ROOT, "%s  %-28s %10s  %s%n", pad, t.name(), ByteSize.format(t.bytes()), t.why());
      }
    }
  }

  private static String kind(String model, String method, String task) {
    return model + "|" + method + "|" + task;
  }
}
