package org.peftharness.reports;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.peftharness.results.ResultRow;
import org.peftharness.results.baseline.ReferencePoint;
import org.peftharness.results.stats.ExampleError;
import org.peftharness.results.stats.McNemar;
import org.peftharness.results.stats.PairedVerdict;
import org.peftharness.results.stats.SeedStats;

/**
 * Everything a report shows, computed once from result files and then rendered to markdown, HTML
 * and plots. All lists are in a fixed order so that equal inputs give byte-identical reports.
 */
public record ReportModel(List<Path> inputs, List<Table> tables, List<LossChart> lossCharts, List<ResultRow> unfinished,
    Provenance provenance, List<String> notes) {

  /**
   * One task x model x metric x scoring protocol x model selection, and what the cells trained on
   * when it is not the task's own training split (null then): models trained on a mix and on the
   * task itself are different experiments, and so are models chosen by different protocols (the
   * papers' best epoch on the reported split is optimistic); they are never averaged together.
   *
   * @param selection results.csv's {@code selection}: last, best, validation; empty when not recorded
   */
  public record TableKey(String task, String trainedOn, String model, String metric, String protocol, Integer protocolVersion,
      String selection) implements Comparable<TableKey> {
    /** The task as headings name it: {@code gsm8k}, or {@code gsm8k (trained on metamathqa[:50000])}. */
    public String heading() {
      return trainedOn == null ? task : task + " (trained on " + trainedOn + ")";
    }

    /** "accuracy, protocol strict@v1" or "accuracy" when the row names no protocol. */
    public String metricLabel() {
      return protocol == null ? metric : metric + ", protocol " + protocol + (protocolVersion == null ? "" : "@v" + protocolVersion);
    }

    /** How the cells chose the model they report, as every score of the table is labelled. */
    public String selectionLabel() {
      return switch (selection) {
        case "last" -> "last";
        case "best" -> "best epoch on the reported split (papers' protocol — optimistic)";
        case "validation" -> "best epoch on validation";
        case "" -> "not recorded";
        default -> selection;
      };
    }

    /** The metric label with the model selection when the rows record one: "accuracy, selection: last". */
    public String title() {
      return selection.isEmpty() ? metricLabel() : metricLabel() + ", selection: " + selectionLabel();
    }

    /** A file-name-safe id: task-model-metric-protocol, and the selection when recorded. */
    public String slug() {
      return Slug.of(task + (trainedOn == null ? "" : "-" + trainedOn) + "-" + model + "-" + metric
          + (protocol == null ? "" : "-" + protocol) + (selection.isEmpty() ? "" : "-" + selection));
    }

    @Override
    public int compareTo(TableKey o) {
      return Comparator.comparing(TableKey::task).thenComparing(TableKey::trainedOn, Comparator.nullsFirst(String::compareTo))
          .thenComparing(TableKey::model).thenComparing(TableKey::metric)
          .thenComparing(TableKey::protocol, Comparator.nullsFirst(String::compareTo))
          .thenComparing(TableKey::protocolVersion, Comparator.nullsFirst(Integer::compareTo))
          .thenComparing(TableKey::selection).compare(this, o);
    }
  }

  /**
   * One method at one rank. {@code stats} is null when no seed finished (all failed or cancelled).
   *
   * @param best the best mean of the table
   * @param withinNoise the best's confidence interval overlaps this one's: the difference is below seed noise
   * @param pareto on the Pareto front of (trainable parameters, mean)
   * @param examples the example-level errors of its finished seeds
   * @param sweep the sweep point of the row's cells ({@code lr=0.001}); empty when the grid swept nothing. For a
   *     row whose train settings were chosen on validation, only its method options ({@code init=random}), the
   *     train settings being in {@code choice}
   * @param choice the train settings chosen on validation, or null when the row's are not chosen
   */
  public record Row(String method, Integer rank, String sweep, Long trainableParams, SeedStats stats, List<Long> seeds,
      int failed, int cancelled, boolean best, boolean withinNoise, boolean pareto, ExampleLevel examples, Choice choice) {
    public String rankText() {
      return rank == null ? "-" : rank.toString();
    }

    /** The method as the Method column shows it: with the row's sweep point ({@code lora lr=0.001}) when the grid swept. */
    public String methodText() {
      return sweep == null || sweep.isEmpty() ? method : method + " " + sweep;
    }

    /** {@code lora r8}, or {@code lora r8 lr=0.001} for a sweep point, as cell labels name it. */
    public String label() {
      String base = rank == null ? method : method + " r" + rank;
      return sweep == null || sweep.isEmpty() ? base : base + " " + sweep;
    }
  }

  /**
   * The train settings of a method variant chosen on held-out validation examples among its sweep
   * points: the best mean validation score over seeds (the first point in {@code SweepPoint.ORDER}
   * on a tie).
   *
   * @param configuration the chosen train settings, {@code lr=4.0e-4}
   * @param metric the validation metric it was chosen by: the task's primary one, for every table of the task
   * @param validationMean the mean validation score it was chosen by
   * @param validationSeeds how many seeds that mean is over
   * @param validationExamples the distinct validation set sizes of those seeds (one, unless grids differ)
   * @param candidates how many sweep points had a validation score
   */
  public record Choice(String configuration, String metric, double validationMean, int validationSeeds,
      List<Integer> validationExamples, int candidates) {
    /** {@code lr=4.0e-4, chosen on validation f1 (n=500)}. */
    public String text() {
      return configuration + ", chosen on validation " + metric + (validationExamples.isEmpty() ? ""
          : " (n=" + validationExamples.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
    }
  }

  /**
   * One sweep point of a variant whose train settings were chosen on validation, as the table of
   * every configuration lists it.
   *
   * @param variant the method options of the variant ({@code init=random}); empty for none
   * @param configuration the point's train settings
   * @param validationMean NaN when the point has no validation score (then it was no candidate)
   * @param reported the point's scores on the reported split over seeds; null when no seed finished
   */
  public record Configuration(String method, Integer rank, String variant, String configuration, double validationMean,
      int validationSeeds, SeedStats reported, boolean chosen) {
    public String methodText() {
      return variant.isEmpty() ? method : method + " " + variant;
    }
  }

  /**
   * Scores against the learning rate: one series per method, rank and the rest of the sweep point
   * (method options and other swept train settings), each point the mean over seeds.
   *
   * @param lrs every learning rate of the table, ascending
   */
  public record Sensitivity(List<LearningRate> lrs, List<SensitivitySeries> series, String plotName) {}

  /** A learning rate as the grid wrote it ({@code 1.0e-4}) and its value. */
  public record LearningRate(double value, String text) {}

  /**
   * @param rest the sweep point without its learning rate ({@code init=random}); empty for none
   * @param reported the mean on the reported split at each of the table's learning rates; NaN where none
   * @param validation the mean validation score at each; NaN where none
   * @param chosen the index of the learning rate chosen on validation for this series, or -1
   */
  public record SensitivitySeries(String method, Integer rank, String rest, List<Double> reported, List<Double> validation,
      int chosen) {
    public String label() {
      String base = rank == null ? method : method + " r" + rank;
      return rest.isEmpty() ? base : base + " " + rest;
    }
  }

  /**
   * How much a row's seeds could move with another draw of evaluation examples: one error per seed
   * whose cell has per-example data (in {@code seeds} order), and for each other seed (in
   * {@code missingSeeds} order) why it has none.
   */
  public record ExampleLevel(List<Long> seeds, List<ExampleError> errors, List<Long> missingSeeds, List<String> missing) {
    /** Root mean square of the seeds' standard errors: the example-level SE of one seed's value; NaN without data. */
    public double se() {
      if (errors.isEmpty()) {
        return Double.NaN;
      }
      double ss = 0;
      for (ExampleError e : errors) {
        ss += e.se() * e.se();
      }
      return Math.sqrt(ss / errors.size());
    }
  }

  /**
   * A row compared with the table's best on the same examples and seeds.
   *
   * @param verdict null when there is nothing to compare; {@code missing} says why
   * @param mcnemar for an accuracy, the exact McNemar test of each shared seed
   */
  public record Paired(Row row, PairedVerdict verdict, List<SeedMcNemar> mcnemar, String missing) {}

  public record SeedMcNemar(long seed, McNemar test) {}

  /** The paired verdicts of a table: every other finished row against {@code against}, the best (null when none). */
  public record PairedSection(Row against, List<Paired> rows) {
    public static final PairedSection NONE = new PairedSection(null, List.of());
  }

  /**
   * A table of methods x ranks plus the plot drawn from it.
   *
   * @param references the paper-reported numbers for this table: same model, task and metric, and the same
   *     protocol when the number names one
   * @param comparisons one per reference, in the same order: the paper's number beside the measured row
   * @param paired each row against the best on the same examples and seeds
   * @param configurations every sweep point of the variants whose train settings were chosen on validation; empty when none were
   * @param sensitivity the scores against the learning rate; null when the learning rate was not swept
   */
  public record Table(TableKey key, boolean higherIsBetter, List<Row> rows, List<ReferencePoint> references,
      List<PaperComparison> comparisons, String plotName, PairedSection paired, List<Configuration> configurations,
      Sensitivity sensitivity) {
    public Row bestRow() {
      return rows.stream().filter(Row::best).findFirst().orElse(null);
    }

    /** Whether a row's train settings were chosen on validation (then the table has a Configuration column). */
    public boolean hasChoices() {
      return rows.stream().anyMatch(r -> r.choice() != null);
    }
  }

  /**
   * A paper-reported number beside the measured row of the same method and rank. The two stay
   * separate numbers: the paper's is never averaged with the seeds or put in their column.
   *
   * @param reproduced the measured row, or null when no cell of that method and rank ran for this
   *     table (its stats are null when cells ran but none finished)
   */
  public record PaperComparison(ReferencePoint paper, Row reproduced) {
    /** The measured mean minus the paper's number, both on the harness's scale; NaN when nothing was measured. */
    public double difference() {
      return reproduced == null || reproduced.stats() == null ? Double.NaN : reproduced.stats().mean() - paper.value();
    }
  }

  /** Training loss per method x rank, averaged over the seeds that logged it; one chart per task x model. */
  /** @param task the heading of the task the cells were evaluated on first (see {@link TableKey#heading}) */
  public record LossChart(String task, String model, List<LossSeries> series, String plotName) {}

  /** @param sweep the cells' sweep point; empty when the grid swept nothing (each point is a curve of its own) */
  public record LossSeries(String method, Integer rank, String sweep, int seeds, List<Long> steps, List<Double> loss) {
    public String label() {
      String base = rank == null ? method : method + " r" + rank;
      return (sweep.isEmpty() ? base : base + " " + sweep) + (seeds == 1 ? " (1 seed)" : " (mean of " + seeds + " seeds)");
    }
  }

  /** A fact and the distinct values it took over the cells, each with the number of cells. */
  public record Fact(String name, List<ValueCount> values) {}

  public record ValueCount(String value, int cells) {}

  public record Provenance(int cells, int cellsWithProvenance, List<Fact> facts, List<String> protocols) {}

  /** File-name-safe ids. */
  public static final class Slug {
    private Slug() {}

    public static String of(String s) {
      String out = Objects.requireNonNull(s).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("-+", "-");
      out = out.replaceAll("^[-.]+|-+$", "");
      return out.isEmpty() ? "x" : out;
    }
  }
}
