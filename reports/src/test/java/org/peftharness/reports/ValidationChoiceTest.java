package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.baseline.ReferencePoint;

/**
 * Train settings chosen on held-out validation examples: the choice reads validation rows only,
 * validation rows are never a reported score, method options stay variants, and the learning-rate
 * sensitivity is tabulated and drawn.
 */
class ValidationChoiceTest {
  @TempDir Path tmp;

  static final int VALIDATION_EXAMPLES = 200;

  /** A finished cell's row of task "rte" on model "minilm"; {@code split} "validation" or "" (the reported split). */
  static ResultRow result(String method, Integer rank, String sweep, long seed, String split, String selection,
      String metric, boolean higherIsBetter, double value) {
    String id = method + "-r" + rank + "-" + sweep.replace(' ', '-') + "-s" + seed + "-" + selection;
    return new ResultRow("g", id, 0, "minilm", method, rank, "rte", seed, CellStatus.OK, metric, "glue-label", 1, value,
        split.isEmpty() ? 277 : VALIDATION_EXAMPLES, higherIsBetter, 1000L, 10_000L, null, 1.0, "2026-08-01T10:00:00Z",
        "2026-08-01T10:00:01Z", "0.1.0", "abc", null, "rte", "e" + id + split, sweep, split, selection);
  }

  /** One cell: its reported accuracy and its validation accuracy. */
  static List<LoadedRow> cell(String method, Integer rank, String sweep, long seed, double reported, double validation) {
    return List.of(new LoadedRow(result(method, rank, sweep, seed, "", "validation", "accuracy", true, reported), Path.of("r")),
        new LoadedRow(result(method, rank, sweep, seed, ResultRow.VALIDATION, "validation", "accuracy", true, validation),
            Path.of("r")));
  }

  /** LoRA r8 at three learning rates (spelled so that text order is not value order), two seeds each. */
  static List<LoadedRow> lrSweep(double[] reported, double[] validation) {
    String[] lrs = {"lr=1e-4", "lr=5.0e-4", "lr=0.001"};
    List<LoadedRow> rows = new ArrayList<>();
    for (int i = 0; i < lrs.length; i++) {
      for (long seed : List.of(1L, 2L)) {
        double d = seed == 1 ? -0.01 : 0.01;
        rows.addAll(cell("lora", 8, lrs[i], seed, reported[i] + d, validation[i] + d));
      }
    }
    Collections.reverse(rows); // the order rows arrive in chooses nothing
    return rows;
  }

  static Table only(List<Table> tables) {
    assertThat(tables).hasSize(1);
    return tables.get(0);
  }

  @Test
  void everyTableOfATaskChoosesByItsPrimaryValidationMetric() {
    // f1 is the task's first metric (recorded first), accuracy its second; on validation f1 prefers 1e-4 and
    // accuracy 0.001: both tables show 1e-4, as select: validation and tune: chose by f1
    String[] lrs = {"lr=1e-4", "lr=0.001"};
    double[][] validation = {{0.90, 0.60}, {0.70, 0.80}};
    List<LoadedRow> rows = new ArrayList<>();
    for (int i = 0; i < lrs.length; i++) {
      for (String metric : List.of("f1", "accuracy")) {
        double v = validation[i][metric.equals("f1") ? 0 : 1];
        rows.add(new LoadedRow(result("lora", 8, lrs[i], 1, ResultRow.VALIDATION, "validation", metric, true, v), Path.of("r")));
      }
      for (String metric : List.of("f1", "accuracy")) {
        rows.add(new LoadedRow(result("lora", 8, lrs[i], 1, "", "validation", metric, true, 0.5), Path.of("r")));
      }
    }
    List<Table> tables = ReportBuilder.tables(rows, List.of());
    assertThat(tables).hasSize(2);
    assertThat(tables).allSatisfy(t -> assertThat(t.rows()).singleElement()
        .satisfies(r -> assertThat(r.choice().text()).isEqualTo("lr=1e-4, chosen on validation f1 (n=200)")));
  }

  @Test
  void reportedSplitSeesNoDifference_validationChooses() {
    Table t = only(ReportBuilder.tables(lrSweep(new double[] {0.80, 0.80, 0.80}, new double[] {0.70, 0.75, 0.72}), List.of()));
    Row r = t.rows().get(0);
    assertThat(t.rows()).hasSize(1);
    assertThat(r.choice().configuration()).isEqualTo("lr=5.0e-4");
    assertThat(r.choice().validationMean()).isCloseTo(0.75, within(1e-12));
    assertThat(r.choice().validationSeeds()).isEqualTo(2);
    assertThat(r.choice().candidates()).isEqualTo(3);
    assertThat(r.choice().text()).isEqualTo("lr=5.0e-4, chosen on validation accuracy (n=200)");
    assertThat(r.methodText()).isEqualTo("lora");
    assertThat(r.seeds()).containsExactly(1L, 2L);
    // the row's scores are the chosen point's on the reported split, never validation's
    assertThat(r.stats().mean()).isCloseTo(0.80, within(1e-12));
    assertThat(r.examples().missing()).allSatisfy(m -> assertThat(m).isEqualTo("no verdicts.jsonl"));
  }

  @Test
  void validationSeesNoDifference_theReportedSplitDoesNotChoose() {
    // lr=0.001 is far ahead on the reported split; validation ties, so the first rate in ascending order stands
    Table t = only(ReportBuilder.tables(lrSweep(new double[] {0.70, 0.80, 0.95}, new double[] {0.75, 0.75, 0.75}), List.of()));
    Row r = t.rows().get(0);
    assertThat(r.choice().configuration()).isEqualTo("lr=1e-4");
    assertThat(r.stats().mean()).isCloseTo(0.70, within(1e-12));
    assertThat(t.configurations()).extracting(c -> c.configuration() + " " + c.chosen())
        .containsExactly("lr=1e-4 true", "lr=5.0e-4 false", "lr=0.001 false");
    assertThat(t.configurations().get(2).reported().mean()).isCloseTo(0.95, within(1e-12));
  }

  @Test
  void lowerIsBetter_choosesTheLowestValidation() {
    List<LoadedRow> rows = new ArrayList<>();
    for (String lr : List.of("lr=1e-4", "lr=1e-3")) {
      double v = lr.equals("lr=1e-4") ? 0.30 : 0.20;
      rows.add(new LoadedRow(result("lora", 8, lr, 1, "", "last", "loss", false, 0.25), Path.of("r")));
      rows.add(new LoadedRow(result("lora", 8, lr, 1, ResultRow.VALIDATION, "last", "loss", false, v), Path.of("r")));
    }
    Table t = only(ReportBuilder.tables(rows, List.of()));
    assertThat(t.rows()).singleElement().satisfies(r -> assertThat(r.choice().configuration()).isEqualTo("lr=1e-3"));
  }

  @Test
  void methodOptionsStayVariants_eachWithItsOwnChosenRate() {
    List<LoadedRow> rows = new ArrayList<>();
    rows.addAll(cell("lora", 8, "init=gaussian lr=1e-4", 1, 0.60, 0.80));
    rows.addAll(cell("lora", 8, "init=gaussian lr=1e-3", 1, 0.70, 0.60));
    rows.addAll(cell("lora", 8, "init=pissa lr=1e-4", 1, 0.61, 0.50));
    rows.addAll(cell("lora", 8, "init=pissa lr=1e-3", 1, 0.71, 0.55));
    rows.addAll(cell("lora", 16, "init=pissa lr=1e-4", 1, 0.62, 0.58));
    rows.addAll(cell("lora", 16, "init=pissa lr=1e-3", 1, 0.72, 0.57));
    Table t = only(ReportBuilder.tables(rows, List.of()));
    assertThat(t.rows()).extracting(r -> r.label() + ": " + r.choice().configuration() + " " + r.stats().mean())
        .containsExactly("lora r8 init=gaussian: lr=1e-4 0.6", "lora r8 init=pissa: lr=1e-3 0.71",
            "lora r16 init=pissa: lr=1e-4 0.62");
  }

  @Test
  void validationRowsAreNeverReported() {
    List<LoadedRow> rows = new ArrayList<>(lrSweep(new double[] {0.60, 0.61, 0.62}, new double[] {0.99, 0.98, 0.97}));
    // a validation score in a metric no reported row has makes no table
    rows.add(new LoadedRow(result("lora", 8, "lr=1e-4", 1, ResultRow.VALIDATION, "validation", "f1", true, 0.99), Path.of("r")));
    // a failed validation evaluation is listed with its task marked, and is no failed seed of a row
    ResultRow failed = new ResultRow("g", "x", 0, "minilm", "lora", 8, "rte", 3, CellStatus.FAILED, null, null, null, null,
        null, null, null, null, null, 1.0, null, null, "0.1.0", "abc", "diverged", "rte", "ex", "lr=1e-4",
        ResultRow.VALIDATION, "validation");
    rows.add(new LoadedRow(failed, Path.of("r")));
    Table t = only(ReportBuilder.tables(rows, List.of()));
    assertThat(t.key().metric()).isEqualTo("accuracy");
    assertThat(t.rows()).singleElement().satisfies(r -> {
      assertThat(r.stats().mean()).isCloseTo(0.60, within(1e-12));
      assertThat(r.stats().max()).isLessThan(0.9);
      assertThat(r.failed()).isZero();
      assertThat(r.pareto()).isTrue();
    });
    assertThat(t.paired().rows()).isEmpty();
    ReportModel m = new ReportModel(List.of(), List.of(t), List.of(), List.of(failed), ReportBuilder.provenance(rows,
        new ArrayList<>()), List.of());
    assertThat(MarkdownWriter.write(m)).contains("| rte (validation) | minilm | lora lr=1e-4 | 8 | 3 | FAILED | diverged | x |");
  }

  @Test
  void noTrainSettingSwept_rowsShownAsTheyAre() {
    List<LoadedRow> rows = new ArrayList<>();
    rows.addAll(cell("lora", 8, "alpha=8", 1, 0.60, 0.90));
    rows.addAll(cell("lora", 8, "alpha=16", 1, 0.70, 0.50));
    Table t = only(ReportBuilder.tables(rows, List.of()));
    assertThat(t.rows()).extracting(Row::label).containsExactly("lora r8 alpha=16", "lora r8 alpha=8");
    assertThat(t.rows()).allSatisfy(r -> assertThat(r.choice()).isNull());
    assertThat(t.configurations()).isEmpty();
    assertThat(t.sensitivity()).isNull();
    assertThat(ReportText.tableHeader(t)).isEqualTo(ReportText.TABLE_HEADER);
  }

  @Test
  void differentSelections_areDifferentTables_neverAveraged() {
    List<LoadedRow> rows = new ArrayList<>();
    for (String selection : List.of("best", "validation", "last")) {
      double v = switch (selection) {
        case "best" -> 0.90;
        case "validation" -> 0.80;
        default -> 0.70;
      };
      rows.add(new LoadedRow(result("lora", 8, "", 1, "", selection, "accuracy", true, v), Path.of("r")));
    }
    List<Table> tables = ReportBuilder.tables(rows, List.of());
    assertThat(tables).extracting(t -> t.key().title() + " " + t.rows().get(0).stats().mean()).containsExactly(
        "accuracy, protocol glue-label@v1, selection: best epoch on the reported split (papers' protocol — optimistic) 0.9",
        "accuracy, protocol glue-label@v1, selection: last 0.7",
        "accuracy, protocol glue-label@v1, selection: best epoch on validation 0.8");
    assertThat(tables).extracting(Table::plotName).doesNotHaveDuplicates();
  }

  @Test
  void thePapersNumber_isComparedWithTheChosenConfiguration() {
    ReferencePoint paper = new ReferencePoint("minilm", "rte", "lora", 8, "accuracy", null, null, 0.70, "Paper, Table 2",
        "test fixture", true);
    Table t = only(ReportBuilder.tables(lrSweep(new double[] {0.80, 0.60, 0.60}, new double[] {0.70, 0.75, 0.72}),
        List.of(paper)));
    assertThat(t.comparisons()).singleElement().satisfies(c -> assertThat(c.difference()).isCloseTo(-0.10, within(1e-12)));
  }

  @Test
  void sensitivity_perMethodAndRate_withValidationAndTheChosenRate() {
    List<LoadedRow> rows = new ArrayList<>(lrSweep(new double[] {0.70, 0.80, 0.60}, new double[] {0.71, 0.78, 0.50}));
    rows.addAll(cell("full", null, "lr=1e-4", 1, 0.85, 0.84));
    rows.addAll(cell("full", null, "lr=5.0e-4", 1, 0.50, 0.52));
    Table t = only(ReportBuilder.tables(rows, List.of()));
    assertThat(t.sensitivity().lrs()).extracting(ReportModel.LearningRate::text).containsExactly("1e-4", "5.0e-4", "0.001");
    assertThat(ReportText.sensitivityHeader(t)).containsExactly("Method", "lr=1e-4", "lr=5.0e-4", "lr=0.001");
    assertThat(ReportText.sensitivityRows(t)).containsExactly(
        List.of("full", "0.8500 (val 0.8400) *", "0.5000 (val 0.5200)", "-"),
        List.of("lora r8", "0.7000 (val 0.7100)", "0.8000 (val 0.7800) *", "0.6000 (val 0.5000)"));
    assertThat(ReportText.sensitivityLegend(t)).contains("* marks the learning rate chosen on validation");
  }

  @Test
  void sensitivity_onlyWhenTheLearningRateIsSwept_andOneSeriesPerOtherSetting() {
    List<LoadedRow> epochs = new ArrayList<>();
    epochs.addAll(cell("lora", 8, "epochs=1", 1, 0.6, 0.6));
    epochs.addAll(cell("lora", 8, "epochs=3", 1, 0.7, 0.7));
    Table noLr = only(ReportBuilder.tables(epochs, List.of()));
    assertThat(noLr.sensitivity()).isNull();
    assertThat(noLr.rows()).singleElement().satisfies(r -> assertThat(r.choice().configuration()).isEqualTo("epochs=3"));

    List<LoadedRow> grid = new ArrayList<>();
    grid.addAll(cell("lora", 8, "lr=1e-4 epochs=1", 1, 0.60, 0.60));
    grid.addAll(cell("lora", 8, "lr=1e-3 epochs=1", 1, 0.65, 0.65));
    grid.addAll(cell("lora", 8, "lr=1e-4 epochs=3", 1, 0.70, 0.70));
    Table t = only(ReportBuilder.tables(grid, List.of()));
    assertThat(t.rows()).singleElement().satisfies(r -> assertThat(r.choice().configuration()).isEqualTo("lr=1e-4 epochs=3"));
    assertThat(ReportText.sensitivityRows(t)).containsExactly(List.of("lora r8 epochs=1", "0.6000 (val 0.6000)",
        "0.6500 (val 0.6500)"), List.of("lora r8 epochs=3", "0.7000 (val 0.7000) *", "-"));
  }

  /**
   * A results folder of {@link #lrSweep} where the reported split sees no difference between the
   * rates and validation prefers 5.0e-4, with a loss curve per cell; returns it.
   */
  static Path writeSweep(Path dir) throws Exception {
    ResultsFolder folder = new ResultsFolder(dir);
    Map<String, List<ResultRow>> cells = new TreeMap<>();
    for (LoadedRow lr : lrSweep(new double[] {0.80, 0.80, 0.80}, new double[] {0.70, 0.75, 0.72})) {
      cells.computeIfAbsent(lr.row().cellId(), k -> new ArrayList<>()).add(lr.row());
    }
    for (Map.Entry<String, List<ResultRow>> c : cells.entrySet()) {
      folder.commit(c.getKey(), c.getValue());
      // swept cells' loss curves: one per sweep point, each labelled with it
      Files.writeString(folder.cellDir(c.getKey()).resolve("metrics.jsonl"), "{\"step\": 1, \"loss\": 0.7}\n{\"step\": 2, \"loss\": 0.5}\n");
    }
    return dir;
  }

  /** The whole report from a results folder: labels, the configuration column, the sensitivity table and plot. */
  @Test
  void report_labelsSelection_showsTheChoice_andDrawsTheSensitivity() throws Exception {
    ReportService.Report report = ReportService.report(List.of(writeSweep(tmp.resolve("results"))), tmp.resolve("report"));
    String md = Files.readString(report.markdown());
    String html = Files.readString(report.html());
    for (String doc : List.of(md, html)) {
      assertThat(doc).contains("selection: best epoch on validation")
          .contains("Model selection: best epoch on validation. Each cell reports the model of its best evaluation")
          .contains("lr=5.0e-4, chosen on validation accuracy (n=200)")
          .contains(ReportText.CONFIGURATIONS_TITLE).contains(ReportText.SENSITIVITY_TITLE)
          .contains("0.8000 (val 0.7500) *");
    }
    assertThat(md).contains("| Method | Rank | Configuration | Trainable params | Mean ± std | n | 95% CI | Example SE | Pareto | Note |")
        .contains("| **lora** | 8 | lr=5.0e-4, chosen on validation accuracy (n=200) | 1,000 | 0.8000 ± 0.0141 | 2 |")
        .contains("| lora | 8 | lr=0.001 | 0.7200 | 2 | 0.8000 ± 0.0141 | 2 |  |")
        .contains("![accuracy against learning rate](plots/lr-rte-minilm-accuracy-glue-label-validation.png)");
    assertThat(html).contains("<table class=\"configurations\">").contains("<table class=\"sensitivity\">")
        .contains("<tr class=\"chosen\">");
    assertThat(report.plotFiles()).extracting(p -> p.getFileName().toString()).contains(
        "lr-rte-minilm-accuracy-glue-label-validation.png", "lr-rte-minilm-accuracy-glue-label-validation.svg");
    BufferedImage img = ImageIO.read(tmp.resolve("report/plots/lr-rte-minilm-accuracy-glue-label-validation.png").toFile());
    assertThat(img.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(report.model().lossCharts()).singleElement().satisfies(c -> assertThat(c.series())
        .extracting(ReportModel.LossSeries::label).containsExactly("lora r8 lr=0.001 (mean of 2 seeds)",
            "lora r8 lr=1e-4 (mean of 2 seeds)", "lora r8 lr=5.0e-4 (mean of 2 seeds)"));
  }
}
