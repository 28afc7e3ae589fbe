package org.peftharness.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.peftharness.reports.ReportModel.Configuration;
import org.peftharness.reports.ReportModel.ExampleLevel;
import org.peftharness.reports.ReportModel.Fact;
import org.peftharness.reports.ReportModel.Paired;
import org.peftharness.reports.ReportModel.PaperComparison;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.SensitivitySeries;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.reports.ReportModel.TableKey;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.baseline.ReferencePoint;
import org.peftharness.results.stats.Bootstrap;
import org.peftharness.results.stats.ExampleError;
import org.peftharness.results.stats.PairedVerdict;
import org.peftharness.results.sweep.TrainSettings;

/** Wording shared by the markdown and HTML renderings, so both say the same thing. */
final class ReportText {
  private ReportText() {}

  static final String STATS_LEGEND = "Each table: mean ± sample standard deviation (n − 1) of the metric over seeds; "
      + "n = finished seeds; 95% CI = confidence interval of the mean from Student's t with n − 1 degrees of freedom, "
      + "cut at the metric's range ([0, 1] for accuracy and F1, [−1, 1] for correlations; the true mean lies inside "
      + "the range, so cutting loses no coverage). Example SE = how far one seed's value could move with another draw "
      + "of as many evaluation examples (accuracy: binomial √(p(1 − p)/n); other metrics: standard deviation of the "
      + Bootstrap.description() + "), root mean square over the seeds with per-example verdicts; \"-\" where the "
      + "cells have none. The best mean is in bold. \"Within seed noise\" means the best's 95% CI overlaps this row's: the difference "
      + "is smaller than the seed-to-seed noise and should not be read as a ranking. Pareto = no other row has both "
      + "fewer trainable parameters and a better mean.";

  static final List<String> TABLE_HEADER = List.of("Method", "Rank", "Trainable params", "Mean ± std", "n", "95% CI",
      "Example SE", "Pareto", "Note");
  static final List<String> REFERENCE_HEADER = List.of("Method", "Rank", "Trainable params", "Value", "Reported by",
      "Status", "Source");
  static final String DIFFERENCE = "Reproduced − paper";
  static final String PAIRED_DIFFERENCE = "Difference";
  static final Set<String> NUMERIC_COLUMNS = Set.of("Rank", "Trainable params", "n", "Seed", "Value", "Paper", "Reproduced",
      DIFFERENCE, "Example SE", PAIRED_DIFFERENCE, "Seeds", "Examples", "Validation mean", "Validation seeds");

  static final List<String> PAIRED_HEADER = List.of("Method", "Rank", PAIRED_DIFFERENCE, "95% interval", "Verdict", "Seeds",
      "Examples", "McNemar exact p per seed");
  static final String PAIRED_LEGEND = "Each row against the table's best on the same evaluation examples (matched by "
      + "example index) and seeds (matched by seed). Difference = the row's metric minus the best's, averaged over the "
      + "shared seeds; 95% interval = percentiles of the paired " + Bootstrap.description() + " (one resample of example "
      + "indices for both methods and every seed). Verdict: \"better\" or \"worse\" when that interval lies wholly on "
      + "one side of zero, else \"cannot tell at 95%\". For an accuracy, McNemar's exact test per seed: b = examples only "
      + "the row got right, c = only the best got right, two-sided p from Binomial(b + c, 1/2). These see the noise of "
      + "a finite evaluation set for these trained models; the spread between trainings is the 95% CI above. "
      + "\"no per-example data\": the cells have no verdicts.jsonl (results written before it existed) or it does not "
      + "give the reported number.";

  static final String COMPARISON_TITLE = "Paper vs reproduced";
  static final String COMPARISON_LEGEND = "Each paper-reported number beside this run's mean over the finished seeds of "
      + "the same method and rank, with n and the 95% CI of the mean as in the table above. " + DIFFERENCE + " is that "
      + "mean minus the paper's number, both on this table's scale (a paper's percentages are divided by its baseline "
      + "file's scale, e.g. 100). The paper's number is not measured here and is never averaged with the seeds. "
      + "\"not run\": no cell of that method and rank ran for this table; \"no finished seed\": its cells failed or "
      + "were cancelled.";

  /** The sentence under each table's heading: how its cells chose the model whose scores it shows. */
  static String selectionCaption(TableKey key) {
    String label = "Model selection: " + key.selectionLabel();
    return switch (key.selection()) {
      case "last" -> label + ". Every score of this table is of the model at the end of training.";
      case "best" -> label + ". Each cell reports its best evaluation during training on the very examples it is scored "
          + "on, as papers' dev-selected numbers are; the best of several noisy evaluations overstates the model.";
      case "validation" -> label + ". Each cell reports the model of its best evaluation on validation examples held out "
          + "of its training data; the reported split chose nothing.";
      case "" -> label + " (results written before results.csv had a selection column; the grid's train.select says "
          + "which).";
      default -> label + ".";
    };
  }

  /** The main table's columns: with "Configuration" after "Rank" when validation chose train settings for some row. */
  static List<String> tableHeader(Table t) {
    if (!t.hasChoices()) {
      return TABLE_HEADER;
    }
    List<String> h = new ArrayList<>(TABLE_HEADER);
    h.add(2, CONFIGURATION);
    return h;
  }

  static final String CONFIGURATION = "Configuration";

  static final String CHOICE_LEGEND = "Configuration: for each method, rank and method options (init, alpha, ...: "
      + "variants, shown side by side and never tuned away), the swept train settings (learning rate, epochs, ...) of the "
      + "point with the best mean score over seeds on validation examples held out of the training data (n = how many), "
      + "the first point in ascending order on a tie. The row's scores are that point's on the reported split, which took "
      + "no part in the choice.";

  static final String CONFIGURATIONS_TITLE = "Every configuration validation chose among";
  static final String VALIDATION_MEAN = "Validation mean";
  static final List<String> CONFIGURATIONS_HEADER = List.of("Method", "Rank", CONFIGURATION, VALIDATION_MEAN,
      "Validation seeds", "Reported mean ± std", "n", "Chosen");
  static final String CONFIGURATIONS_LEGEND = "Each swept point of the variants above: its mean validation score over "
      + "seeds (what chose), and its mean on the reported split (shown, never used to choose). \"no validation score\": "
      + "none of its cells has a finished validation evaluation, so it was no candidate.";

  static List<List<String>> configurationRows(Table t) {
    List<List<String>> rows = new ArrayList<>();
    for (Configuration c : t.configurations()) {
      rows.add(List.of(c.methodText(), c.rank() == null ? "-" : c.rank().toString(), c.configuration(),
          Fmt.num(c.validationMean()), Integer.toString(c.validationSeeds()), Fmt.meanStd(c.reported()),
          c.reported() == null ? "0" : Integer.toString(c.reported().n()),
          c.chosen() ? "chosen" : Double.isNaN(c.validationMean()) ? "no validation score" : ""));
    }
    return rows;
  }

  static final String SENSITIVITY_TITLE = "Learning-rate sensitivity";

  static String sensitivityLegend(Table t) {
    boolean validation = t.sensitivity().series().stream()
        .anyMatch(s -> s.validation().stream().anyMatch(v -> !Double.isNaN(v)));
    return "Mean over seeds on the reported split at each learning rate, per method, rank and the rest of the sweep point"
        + (validation ? "; in parentheses the mean validation score; * marks the learning rate chosen on validation" : "")
        + ". \"-\": not run or no seed finished. A flat row is a method that forgives a poorly chosen rate.";
  }

  static List<String> sensitivityHeader(Table t) {
    List<String> h = new ArrayList<>(List.of("Method"));
    t.sensitivity().lrs().forEach(lr -> h.add(TrainSettings.LR + "=" + lr.text()));
    return h;
  }

  static List<List<String>> sensitivityRows(Table t) {
    List<List<String>> rows = new ArrayList<>();
    for (SensitivitySeries s : t.sensitivity().series()) {
      List<String> row = new ArrayList<>(List.of(s.label()));
      for (int i = 0; i < s.reported().size(); i++) {
        double v = s.validation().get(i);
        row.add(Fmt.num(s.reported().get(i)) + (Double.isNaN(v) ? "" : " (val " + Fmt.num(v) + ")")
            + (i == s.chosen() ? " *" : ""));
      }
      rows.add(row);
    }
    return rows;
  }

  static final List<String> UNFINISHED_HEADER = List.of("Task", "Model", "Method", "Rank", "Seed", "Status", "Reason", "Cell");

  /** The failed and cancelled evaluations; one of held-out validation examples says so after its task. */
  static List<List<String>> unfinishedRows(ReportModel m) {
    List<List<String>> rows = new ArrayList<>();
    for (ResultRow r : m.unfinished()) {
      rows.add(List.of(r.isValidation() ? r.task() + " (validation)" : r.task(), r.model(),
          r.sweep() == null || r.sweep().isEmpty() ? r.method() : r.method() + " " + r.sweep(),
          r.rank() == null ? "-" : r.rank().toString(), Long.toString(r.seed()), r.status().name(),
          r.reason() == null ? "" : r.reason(), r.cellId()));
    }
    return rows;
  }

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
      return "The best (" + best.label() + ") has a single seed, so its seed noise is unknown: no ranking in this table is "
          + "established" + (pairedBelow(t) ? " across trainings; the paired verdicts below compare the trained models on "
          + "the same examples." : ".");
    }
    if (close.isEmpty()) {
      return "No other row's 95% CI overlaps the best's (" + best.label() + ").";
    }
    return "Below seed noise: " + String.join(", ", close) + " cannot be told apart from the best (" + best.label()
        + ") at 95% confidence by the seed-level intervals" + (pairedBelow(t)
        ? "; the paired verdicts below compare them on the same examples and seeds." : ".");
  }

  private static boolean pairedBelow(Table t) {
    return t.paired().rows().stream().anyMatch(p -> p.verdict() != null);
  }

  static final String CELLS_TITLE = "Example-level errors per cell";
  static final List<String> CELLS_HEADER = List.of("Method", "Rank", "Seed", "Value", "Example SE", "Example 95% interval",
      "Examples");

  /** How the table's example-level errors were obtained, from its first one: they share the metric, so the method. */
  static String cellsLegend(Table t) {
    String how = t.rows().stream().flatMap(r -> r.examples().errors().stream()).map(ExampleError::method).findFirst()
        .orElse("none");
    return "Each finished cell's value on its own evaluation examples, with its example-level standard error and 95% "
        + "interval (" + how + "; inside the metric's range).";
  }

  static List<List<String>> cellRows(Table t) {
    List<List<String>> rows = new ArrayList<>();
    for (Row r : t.rows()) {
      ExampleLevel e = r.examples();
      for (int i = 0; i < e.errors().size(); i++) {
        ExampleError x = e.errors().get(i);
        rows.add(List.of(r.methodText(), r.rankText(), Long.toString(e.seeds().get(i)), Fmt.num(x.value()), Fmt.num(x.se()),
            Fmt.interval(x.low(), x.high()), Integer.toString(x.n())));
      }
      for (int i = 0; i < e.missingSeeds().size(); i++) {
        rows.add(List.of(r.methodText(), r.rankText(), Long.toString(e.missingSeeds().get(i)), "-", "-",
            "no per-example data (" + e.missing().get(i) + ")", "-"));
      }
    }
    return rows;
  }

  static String pairedTitle(Table t) {
    return "Paired verdicts against the best (" + t.paired().against().label() + ")";
  }

  static List<List<String>> pairedRows(Table t) {
    List<List<String>> rows = new ArrayList<>();
    for (Paired p : t.paired().rows()) {
      Row r = p.row();
      PairedVerdict v = p.verdict();
      if (v == null) {
        rows.add(List.of(r.methodText(), r.rankText(), "-", "-", p.missing(), "-", "-", "-"));
        continue;
      }
      String tests = p.mcnemar().isEmpty() ? "-" : p.mcnemar().stream()
          .map(m -> "s" + m.seed() + ": " + Fmt.p(m.test().p()) + " (b " + m.test().b() + ", c " + m.test().c() + ")")
          .collect(Collectors.joining("; "));
      rows.add(List.of(r.methodText(), r.rankText(), Fmt.signed(v.difference()), Fmt.interval(v.low(), v.high()),
          v.verdict().words(), Integer.toString(v.seeds()), Integer.toString(v.examples()), tests));
    }
    return rows;
  }

  /** The row-level CSS class of a paired verdict: verdict-better, -worse, -cannot-tell, or -none. */
  static String pairedClass(Paired p) {
    if (p.verdict() == null) {
      return "verdict-none";
    }
    return switch (p.verdict().verdict()) {
      case BETTER -> "verdict-better";
      case WORSE -> "verdict-worse";
      case CANNOT_TELL -> "verdict-cannot-tell";
    };
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
