package org.peftharness.ci.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.ci.baseline.BaselineFile;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.stats.SeedStats;

/**
 * {@code harness check}: compares a results folder with baseline files. For each entry, the
 * finished seeds of the matching cells are aggregated (mean or median), and the difference from
 * the expected value is judged against the tolerance band:
 *
 * <pre>
 * band = max(absolute, stds x std)      std: the entry's, else the measured seeds' sample std
 * worse than expected by more than band  -> FAIL     (a drop, for higher-is-better metrics)
 * better than expected by more than band -> IMPROVED (reported, not failed)
 * otherwise                              -> PASS
 * </pre>
 */
public final class CheckService {
  private CheckService() {}

  /**
   * @throws InvalidInputException when a baseline file is malformed or the folder holds no results
   *     (the CLI exits 2)
   */
  public static CheckResult check(Path resultsDir, List<Path> baselineFiles) {
    List<BaselineFile> files = Baselines.readAll(baselineFiles);
    return check(resultsDir, readResults(resultsDir), files);
  }

  static List<ResultRow> readResults(Path dir) {
    ResultsFolder folder = new ResultsFolder(dir);
    if (Files.isRegularFile(folder.resultsCsv())) {
      return ResultsCsv.read(folder.resultsCsv());
    }
    if (Files.isDirectory(dir.resolve(ResultsFolder.CELLS))) {
      return folder.allCellRows();
    }
    throw new InvalidInputException(dir, null, Files.isDirectory(dir) ? "no results.csv and no cells/ folder: not a results folder"
        : "results folder not found");
  }

  public static CheckResult check(Path resultsDir, List<ResultRow> rows, List<BaselineFile> files) {
    List<CheckRow> out = new ArrayList<>();
    for (BaselineFile f : files) {
      for (BaselineEntry e : f.entries()) {
        out.addAll(compare(e, rows));
      }
    }
    return new CheckResult(resultsDir, files, out);
  }

  static List<CheckRow> compare(BaselineEntry e, List<ResultRow> rows) {
    List<ResultRow> cells = rows.stream().filter(r -> same(r.model(), e.model()) && same(r.task(), e.task())
        && same(r.method(), e.method()) && Objects.equals(r.rank(), e.rank())).toList();
    if (cells.isEmpty()) {
      return List.of(missing(e, e.protocol(), "no cell of this model/task/method/rank in the results"));
    }
    // finished values per protocol, one per cell (a cell has one row per metric and protocol)
    Map<String, Map<String, ResultRow>> byProtocol = new TreeMap<>();
    TreeSet<String> available = new TreeSet<>();
    for (ResultRow r : cells) {
      if (r.status() != CellStatus.OK || r.metric() == null || r.value() == null) {
        continue;
      }
      available.add(r.metric() + (r.protocol() == null ? "" : " [" + r.protocol() + "]"));
      if (same(r.metric(), e.metric()) && (e.protocol() == null || same(r.protocol(), e.protocol()))) {
        byProtocol.computeIfAbsent(r.protocol() == null ? "" : r.protocol(), k -> new LinkedHashMap<>()).putIfAbsent(r.cellId(), r);
      }
    }
    if (byProtocol.isEmpty()) {
      long failed = cells.stream().filter(r -> r.status() == CellStatus.FAILED).map(ResultRow::cellId).distinct().count();
      long cancelled = cells.stream().filter(r -> r.status() == CellStatus.CANCELLED).map(ResultRow::cellId).distinct().count();
      String why;
      if (available.isEmpty()) {
        String reason = cells.stream().map(ResultRow::reason).filter(Objects::nonNull).findFirst().orElse("no reason recorded");
        why = "no finished cell: " + failed + " failed, " + cancelled + " cancelled (" + reason + ")";
      } else {
        why = "no " + e.metric() + (e.protocol() == null ? "" : " by protocol " + e.protocol()) + " in the results; they have "
            + String.join(", ", available);
      }
      return List.of(missing(e, e.protocol(), why));
    }
    List<CheckRow> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, ResultRow>> p : byProtocol.entrySet()) {
      List<ResultRow> rs = new ArrayList<>(p.getValue().values());
      out.add(judge(e, p.getKey().isEmpty() ? null : p.getKey(), rs));
    }
    return out;
  }

  private static CheckRow judge(BaselineEntry e, String protocol, List<ResultRow> rs) {
    SeedStats s = SeedStats.of(rs.stream().mapToDouble(r -> r.value() * e.scale()).toArray());
    double measured = e.aggregate() == BaselineEntry.Aggregate.MEAN ? s.mean() : s.median();
    Double measuredStd = s.hasSpread() ? s.std() : null;
    double band = e.absolute() == null ? 0 : e.absolute();
    String how = e.absolute() == null ? "" : "absolute " + num(e.absolute());
    if (e.stds() != null) {
      Double std = e.std() != null ? e.std() : measuredStd;
      String which = e.std() != null ? "baseline std" : "measured std over " + s.n() + " seeds";
      if (std == null) {
        if (e.absolute() == null) {
          return new CheckRow(e, protocol, Outcome.MISSING, measured, s.n(), null, null,
              "tolerance in stds needs the baseline's std or at least 2 finished seeds; got 1 seed");
        }
        how += " (stds not applicable: one seed, no baseline std)";
      } else {
        band = Math.max(band, e.stds() * std);
        how += (how.isEmpty() ? "" : ", ") + num(e.stds()) + " x " + which + " " + num(std);
      }
    }
    boolean higher = e.higherIsBetter() != null ? e.higherIsBetter()
        : rs.stream().map(ResultRow::higherIsBetter).filter(Objects::nonNull).findFirst().orElse(true);
    double delta = measured - e.value();
    double worse = higher ? -delta : delta;
    Outcome o = worse > band ? Outcome.FAIL : -worse > band ? Outcome.IMPROVED : Outcome.PASS;
    String detail = e.aggregate().id() + " of " + s.n() + " seed(s), " + (higher ? "higher" : "lower") + " is better; band "
        + how;
    return new CheckRow(e, protocol, o, measured, s.n(), measuredStd, band, detail);
  }

  private static CheckRow missing(BaselineEntry e, String protocol, String why) {
    return new CheckRow(e, protocol, Outcome.MISSING, null, 0, null, null, why);
  }

  private static boolean same(String a, String b) {
    return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
