package org.peftharness.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.peftharness.reports.ReportModel.Fact;
import org.peftharness.reports.ReportModel.PaperComparison;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.baseline.ReferencePoint;

/** Wording shared by the markdown and HTML renderings, so both say the same thing. */
final class ReportText {
  private ReportText() {}

  static final String STATS_LEGEND = "Each table: mean ± sample standard deviation (n − 1) of the metric over seeds; "
      + "n = finished seeds; 95% CI = confidence interval of the mean from Student's t with n − 1 degrees of freedom. "
      + "The best mean is in bold. \"Within seed noise\" means the best's 95% CI overlaps this row's: the difference "
      + "is smaller than the seed-to-seed noise and should not be read as a ranking. Pareto = no other row has both "
      + "fewer trainable parameters and a better mean.";

  static final List<String> TABLE_HEADER = List.of("Method", "Rank", "Trainable params", "Mean ± std", "n", "95% CI",
      "Pareto", "Note");
  static final List<String> REFERENCE_HEADER = List.of("Method", "Rank", "Trainable params", "Value", "Reported by",
      "Status", "Source");
  static final String DIFFERENCE = "Reproduced − paper";
  static final Set<String> NUMERIC_COLUMNS = Set.of("Rank", "Trainable params", "n", "Seed", "Value", "Paper", "Reproduced",
      DIFFERENCE);

  static final String COMPARISON_TITLE = "Paper vs reproduced";
  static final String COMPARISON_LEGEND = "Each paper-reported number beside this run's mean over the finished seeds of "
      + "the same method and rank, with n and the 95% CI of the mean as in the table above. " + DIFFERENCE + " is that "
      + "mean minus the paper's number, both on this table's scale (a paper's percentages are divided by its baseline "
      + "file's scale, e.g. 100). The paper's number is not measured here and is never averaged with the seeds. "
      + "\"not run\": no cell of that method and rank ran for this table; \"no finished seed\": its cells failed or "
      + "were cancelled.";

  static String cellCounts(ReportModel m) {
    // distinct cells per status; a finished cell has one row per metric
    int ok = m.provenance().cells() - (int) m.unfinished().stream().map(ResultRow::cellId).distinct().count();
    long failed = m.unfinished().stream().filter(r -> r.status() == CellStatus.FAILED).map(ResultRow::cellId).distinct().count();
    long cancelled = m.unfinished().stream().filter(r -> r.status() == CellStatus.CANCELLED).map(ResultRow::cellId).distinct().count();
    return m.provenance().cells() + " cells: " + ok + " finished, " + failed + " failed, " + cancelled + " cancelled.";
  }

  static String noiseSentence(Table t) {
    Row best = t.bestRow();
    if (best == null) {
      return "";
    }
    List<String> close = t.rows().stream().filter(Row::withinNoise).map(Row::label).toList();
    if (!best.stats().hasSpread()) {
      return "The best (" + best.label() + ") has a single seed, so its noise is unknown: no ranking in this table is established.";
    }
    if (close.isEmpty()) {
      return "No other row's 95% CI overlaps the best's (" + best.label() + ").";
    }
    return "Below seed noise: " + String.join(", ", close) + " cannot be told apart from the best (" + best.label()
        + ") at 95% confidence.";
  }

  static List<List<String>> referenceRows(Table t) {
    List<List<String>> rows = new ArrayList<>();
    for (ReferencePoint p : t.references()) {
      rows.add(List.of(p.method(), p.rank() == null ? "-" : p.rank().toString(), Fmt.params(p.trainableParams()),
          Fmt.num(p.value()), p.label(), p.provenanceTag(), p.source()));
    }
    return rows;
  }

  /** The comparison table's columns: "Reported by" only when the table's paper numbers come from several sources. */
  static List<String> comparisonHeader(Table t) {
    List<String> h = new ArrayList<>(List.of("Method", "Rank", "Paper", "Reproduced", "n", "95% CI", DIFFERENCE));
    if (severalLabels(t)) {
      h.add("Reported by");
    }
    h.add("Status");
    return h;
  }

  static List<List<String>> comparisonRows(Table t) {
    boolean labels = severalLabels(t);
    List<List<String>> rows = new ArrayList<>();
    for (PaperComparison c : t.comparisons()) {
      ReferencePoint p = c.paper();
      Row r = c.reproduced();
      List<String> row = new ArrayList<>(List.of(p.method(), p.rank() == null ? "-" : p.rank().toString(), Fmt.num(p.value())));
      if (r == null) {
        row.addAll(List.of("not run", "-", "-"));
      } else if (r.stats() == null) {
        row.addAll(List.of("no finished seed", "0", "-"));
      } else {
        row.addAll(List.of(Fmt.num(r.stats().mean()), Integer.toString(r.stats().n()), Fmt.ci(r.stats())));
      }
      row.add(Fmt.signed(c.difference()));
      if (labels) {
        row.add(p.label());
      }
      row.add(p.provenanceTag());
      rows.add(row);
    }
    return rows;
  }

  /** Where the table's paper numbers come from, once per label: "label (source: ...)". */
  static List<String> comparisonSources(Table t) {
    Set<String> out = new LinkedHashSet<>();
    for (PaperComparison c : t.comparisons()) {
      out.add(c.paper().label() + " (source: " + c.paper().source() + ")");
    }
    return List.copyOf(out);
  }

  private static boolean severalLabels(Table t) {
    return t.comparisons().stream().map(c -> c.paper().label()).distinct().count() > 1;
  }

  static String provenanceIntro(ReportModel m) {
    ReportModel.Provenance p = m.provenance();
    return p.cells() + " cells; " + p.cellsWithProvenance() + " with a provenance.json. Facts from results.csv "
        + "(prefix \"results:\") and from provenance.json (dotted paths), each value with the number of cells that "
        + "recorded it.";
  }

  static String values(Fact f) {
    return f.values().stream().map(v -> v.value() + " (" + v.cells() + ")").collect(Collectors.joining("; "));
  }
}
