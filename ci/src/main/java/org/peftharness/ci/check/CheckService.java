package org.peftharness.ci.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.peftharness.ci.baseline.Rule;
import org.peftharness.ci.noise.CellNoiseReader;
import org.peftharness.ci.noise.ExampleNoise;
import org.peftharness.ci.noise.NoiseBand;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.stats.SeedStats;

/**
 * {@code harness check}: compares a results folder with baseline files. For each entry, the
 * finished seeds of the matching cells are aggregated (mean or median), and the difference from
 * the expected value is judged against a band, by the entry's rule (or the one {@link CheckOptions}
 * sets for all):
 *
 * <pre>
 * tolerance: band = max(absolute, stds x std)   std: the entry's, else the measured seeds' sample std
 * noise:     band = critical value x SE          SE: of measured minus expected, see {@link NoiseBand}
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
    return check(resultsDir, baselineFiles, CheckOptions.DEFAULT);
  }

  /**
   * @throws InvalidInputException also when the noise rule cannot form a cell's example-level error
   *     (see {@link CellNoiseReader}) or {@code --rule tolerance} meets an entry without a tolerance
   */
  public static CheckResult check(Path resultsDir, List<Path> baselineFiles, CheckOptions options) {
    List<BaselineFile> files = Baselines.readAll(baselineFiles);
    return check(resultsDir, readResults(resultsDir), files, options);
  }

  static List<ResultRow> readResults(Path dir) {
    ResultsFolder folder = new ResultsFolder(dir);
    if (Files.isRegularFile(folder.resultsCsv()) || Files.isDirectory(dir.resolve(ResultsFolder.CELLS))) {
      return folder.readRows();
    }
    throw new InvalidInputException(dir, null, Files.isDirectory(dir) ? "no results.csv and no cells/ folder: not a results folder"
        : "results folder not found");
  }

  public static CheckResult check(Path resultsDir, List<ResultRow> rows, List<BaselineFile> files) {
    return check(resultsDir, rows, files, CheckOptions.DEFAULT);
  }

  public static CheckResult check(Path resultsDir, List<ResultRow> rows, List<BaselineFile> files, CheckOptions options) {
    CellNoiseReader noise = new CellNoiseReader(resultsDir);
    List<CheckRow> out = new ArrayList<>();
    for (BaselineFile f : files) {
      for (BaselineEntry e : f.entries()) {
        out.addAll(compare(e, options.ruleFor(e), rows, options.confidence(), noise));
      }
    }
    return new CheckResult(resultsDir, files, out);
  }

  static List<CheckRow> compare(BaselineEntry e, Rule rule, List<ResultRow> rows, double confidence, CellNoiseReader noise) {
    // held-out validation rows choose configurations; a baseline is about the reported split
    List<ResultRow> cells = rows.stream().filter(r -> !r.isValidation() && same(r.model(), e.model()) && same(r.task(), e.task())
        && same(r.method(), e.method()) && Objects.equals(r.rank(), e.rank())).toList();
    if (cells.isEmpty()) {
      return List.of(missing(e, rule, e.protocol(), "no cell of this model/task/method/rank in the results"));
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
      return List.of(missing(e, rule, e.protocol(), why));
    }
    List<CheckRow> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, ResultRow>> p : byProtocol.entrySet()) {
      List<ResultRow> rs = new ArrayList<>(p.getValue().values());
      String protocol = p.getKey().isEmpty() ? null : p.getKey();
      out.add(rule == Rule.NOISE ? byNoise(e, protocol, rs, confidence, noise) : byTolerance(e, protocol, rs));
    }
    return out;
  }

  private static CheckRow byTolerance(BaselineEntry e, String protocol, List<ResultRow> rs) {
    SeedStats s = SeedStats.of(values(e, rs));
    double measured = measured(e, s);
    Double measuredStd = s.hasSpread() ? s.std() : null;
    double band = e.absolute() == null ? 0 : e.absolute();
    String how = e.absolute() == null ? "" : "absolute " + num(e.absolute());
    if (e.stds() != null) {
      Double std = e.std() != null ? e.std() : measuredStd;
      String which = e.std() != null ? "baseline std" : "measured std over " + s.n() + " seeds";
      if (std == null) {
        if (e.absolute() == null) {
          return new CheckRow(e, protocol, Rule.TOLERANCE, Outcome.MISSING, measured, s.n(), null, null, null,
              examples(rs), "tolerance in stds needs the baseline's std or at least 2 finished seeds; got 1 seed");
        }
        how += " (stds not applicable: one seed, no baseline std)";
      } else {
        band = Math.max(band, e.stds() * std);
        how += (how.isEmpty() ? "" : ", ") + num(e.stds()) + " x " + which + " " + num(std);
      }
    }
    boolean higher = higherIsBetter(e, rs);
    Outcome o = outcome(measured - e.value(), higher, band);
    String detail = e.aggregate().id() + " of " + s.n() + " seed(s), " + (higher ? "higher" : "lower") + " is better; band "
        + how;
    return new CheckRow(e, protocol, Rule.TOLERANCE, o, measured, s.n(), measuredStd, band, null, examples(rs), detail);
  }

  private static CheckRow byNoise(BaselineEntry e, String protocol, List<ResultRow> rs, double confidence,
      CellNoiseReader reader) {
    double[] values = values(e, rs);
    SeedStats s = SeedStats.of(values);
    double measured = measured(e, s);
    List<ExampleNoise> cells = rs.stream().map(r -> reader.of(r, e.where())).toList();
    NoiseBand noise = NoiseBand.of(e, values, cells, confidence);
    boolean higher = higherIsBetter(e, rs);
    double delta = measured - e.value();
    Outcome o = outcome(delta, higher, noise.band());
    String change = noise.se() > 0 ? String.format(Locale.ROOT, "%+.2f SE", delta / noise.se()) : "SE 0";
    String detail = e.aggregate().id() + " of " + s.n() + " seed(s), " + (higher ? "higher" : "lower") + " is better; delta "
        + change + "; " + noise.describe();
    return new CheckRow(e, protocol, Rule.NOISE, o, measured, s.n(), s.hasSpread() ? s.std() : null, noise.band(), noise,
        noise.examples(), detail);
  }

  /** The seeds' values on the file's scale. */
  private static double[] values(BaselineEntry e, List<ResultRow> rs) {
    return rs.stream().mapToDouble(r -> r.value() * e.scale()).toArray();
  }

  private static double measured(BaselineEntry e, SeedStats s) {
    return e.aggregate() == BaselineEntry.Aggregate.MEAN ? s.mean() : s.median();
  }

  private static boolean higherIsBetter(BaselineEntry e, List<ResultRow> rs) {
    return e.higherIsBetter() != null ? e.higherIsBetter()
        : rs.stream().map(ResultRow::higherIsBetter).filter(Objects::nonNull).findFirst().orElse(true);
  }

  /** The same comparison for both rules: only the band differs. */
  private static Outcome outcome(double delta, boolean higherIsBetter, double band) {
    double worse = higherIsBetter ? -delta : delta;
    return worse > band ? Outcome.FAIL : -worse > band ? Outcome.IMPROVED : Outcome.PASS;
  }

  /** The cells' example counts: "1000", "277-280", or "-" when the rows have none. */
  private static String examples(List<ResultRow> rs) {
    int[] n = rs.stream().map(ResultRow::n).filter(Objects::nonNull).mapToInt(Integer::intValue).toArray();
    if (n.length == 0) {
      return "-";
    }
    int min = Arrays.stream(n).min().getAsInt();
    int max = Arrays.stream(n).max().getAsInt();
    return min == max ? Integer.toString(min) : min + "-" + max;
  }

  private static CheckRow missing(BaselineEntry e, Rule rule, String protocol, String why) {
    return new CheckRow(e, protocol, rule, Outcome.MISSING, null, 0, null, null, null, "-", why);
  }

  private static boolean same(String a, String b) {
    return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
