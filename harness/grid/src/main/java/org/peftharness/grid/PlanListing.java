package org.peftharness.grid;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftharness.core.text.Durations;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * A grid's cells as {@code harness plan} and {@code run --dry-run} list them: position, id, status
 * in the results folder, and time taken or an estimate from finished cells of the same model,
 * method and training data (else from all finished cells); under a cell that trains once for
 * several tasks, the tasks it is evaluated on.
 */
public final class PlanListing {
  private PlanListing() {}

  public static void print(GridPlan plan, Path outDir, Shard shard, PrintWriter out) {
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
    out.printf(Locale.ROOT, "%-5s %-12s %-10s %-10s %s%n", "cell", "id", "status", "time", "what");
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
      out.printf(Locale.ROOT, "%-5d %-12s %-10s %-10s %s%n", c.index(), c.id().substring(0, 12),
          st.name().toLowerCase(Locale.ROOT), time, c.label());
      evaluations += c.evaluations().size();
      if (!c.trainsOnItsOnlyTask()) {
        out.printf(Locale.ROOT, "%41s evaluated on %d: %s%n", "", c.evaluations().size(),
            String.join(", ", c.evaluations().stream().map(Evaluation::label).toList()));
      }
    }
    out.printf(Locale.ROOT, "%d trainings, %d evaluations%n", shown, evaluations);
    out.printf(Locale.ROOT, "%d pending; estimated time left: %s%s%n", pending,
        pending == 0 ? "none" : unknown && left == 0 ? "unknown until a cell has finished" : "~" + Durations.format(left),
        unknown && left > 0 ? " plus cells with no estimate yet" : "");
    out.printf(Locale.ROOT, "results folder: %s%n", outDir);
    out.flush();
  }

  private static String kind(String model, String method, String task) {
    return model + "|" + method + "|" + task;
  }
}
