package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftharness.grid.Cell;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.Shard;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness plan GRID} (also {@code run --dry-run}): the cells, which are done, and what the rest will cost. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "List a grid's cells, which are already done in the results folder, and an estimate of the time left.")
final class PlanCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin GridOptions grid;

  @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: runs/<grid name>).")
  Path out;

  @Option(names = "--shard", paramLabel = "i/n", description = "Only this slice of the cells.")
  String shard;

  @Override
  public Integer call() {
    GridPlan plan = grid.plan(true);
    print(plan, GridOptions.resultsDir(out, plan), shard == null ? Shard.ALL : Shard.parse(shard), spec.commandLine().getOut());
    return 0;
  }

  static void print(GridPlan plan, Path outDir, Shard shard, PrintWriter out) {
    ResultsFolder folder = new ResultsFolder(outDir);
    List<ResultRow> rows = folder.allCellRows();
    Map<String, Double> seconds = new HashMap<>();
    Map<String, double[]> byKind = new HashMap<>();
    for (ResultRow r : rows) {
      if (r.wallSeconds() != null && !seconds.containsKey(r.cellId())) {
        seconds.put(r.cellId(), r.wallSeconds());
        byKind.computeIfAbsent(kind(r.model(), r.method(), r.task()), k -> new double[2]);
        double[] s = byKind.get(kind(r.model(), r.method(), r.task()));
        s[0] += r.wallSeconds();
        s[1]++;
      }
    }
    double overall = seconds.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    List<FolderStatus.CellState> states = FolderStatus.of(folder, plan.manifest().cells()).cells();
    double left = 0;
    int pending = 0;
    boolean unknown = false;
    out.printf(Locale.ROOT, "%-5s %-12s %-10s %-10s %s%n", "cell", "id", "status", "time", "what");
    for (Cell c : plan.cells()) {
      if (!shard.contains(c)) {
        continue;
      }
      FolderStatus.State st = states.get(c.index()).state();
      String time;
      if (st == FolderStatus.State.OK || st == FolderStatus.State.FAILED) {
        time = ConsoleProgress.duration(seconds.getOrDefault(c.id(), 0.0));
      } else {
        pending++;
        double[] k = byKind.get(kind(c.model(), c.method(), c.task()));
        double est = k != null ? k[0] / k[1] : overall;
        if (Double.isNaN(est)) {
          unknown = true;
          time = "?";
        } else {
          left += est;
          time = "~" + ConsoleProgress.duration(est);
        }
      }
      out.printf(Locale.ROOT, "%-5d %-12s %-10s %-10s %s%n", c.index(), c.id().substring(0, 12),
          st.name().toLowerCase(Locale.ROOT), time, c.label());
    }
    out.printf(Locale.ROOT, "%d pending; estimated time left: %s%s%n", pending,
        pending == 0 ? "none" : unknown && left == 0 ? "unknown until a cell has finished" : "~" + ConsoleProgress.duration(left),
        unknown && left > 0 ? " plus cells with no estimate yet" : "");
    out.printf(Locale.ROOT, "results folder: %s%n", outDir);
    out.flush();
  }

  private static String kind(String model, String method, String task) {
    return model + "|" + method + "|" + task;
  }
}
