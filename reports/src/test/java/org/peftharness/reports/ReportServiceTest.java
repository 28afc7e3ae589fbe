package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.baseline.ReferencePoint;
import org.peftharness.results.testing.SyntheticResults;

class ReportServiceTest {
  @TempDir static Path tmp;
  static Path results;
  static ReportService.Report report;
  static String md;
  static String html;

  static final ReferencePoint PAPER = new ReferencePoint("MiniLM", SyntheticResults.TASK, "lora", 8, "accuracy", null,
      73_728L, 0.9012, "Made-up paper, Table 9", "test fixture, not a real paper", false);

  @BeforeAll
  static void generate() throws Exception {
    results = SyntheticResults.write(tmp.resolve("results"));
    // kept under target/ so a person can open it after the build
    report = ReportService.report(List.of(results), Path.of("target", "report-example"), List.of(PAPER));
    md = Files.readString(report.markdown());
    html = Files.readString(report.html());
  }

  @Test
  void markdown_hasOnePipeTablePerTask_withEveryMethod() {
    assertThat(md).contains("## Task: synthetic-sentiment");
    assertThat(md).contains("| Method | Rank | Trainable params | Mean ± std | n | 95% CI | Example SE | Pareto | Note |");
    assertThat(md).contains("|---|---:|---:|---|---:|---|---:|---|---|");
    for (String m : SyntheticResults.METHODS) {
      assertThat(md).containsPattern("\\n\\| (\\*\\*)?" + java.util.regex.Pattern.quote(m) + "(\\*\\*)? \\| ");
    }
    // every table line has the same number of unescaped pipes
    List<String> lines = md.lines().toList();
    int header = lines.indexOf("| " + String.join(" | ", ReportText.TABLE_HEADER) + " |");
    List<String> tableLines = lines.subList(header, header + lines.subList(header, lines.size()).indexOf(""));
    assertThat(tableLines).hasSize(2 + 13);
    long cols = tableLines.get(0).replace("\\|", "").chars().filter(c -> c == '|').count();
    assertThat(tableLines).allSatisfy(l -> assertThat(l.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(cols));
  }

  @Test
  void table_bestNoiseAndPareto() {
    Table t = report.model().tables().get(0);
    assertThat(t.rows()).hasSize(13); // full + 6 methods x 2 ranks
    Row best = t.bestRow();
    assertThat(best.method()).isEqualTo("full");
    assertThat(best.stats().mean()).isCloseTo(0.912, org.assertj.core.api.Assertions.within(1e-12));
    // with two seeds the t-interval is wide (12.7 x s / sqrt 2): lora-ga r8 (0.893 +- 0.004) overlaps full's
    Row loraGa8 = row(t, "lora-ga", 8);
    assertThat(loraGa8.withinNoise()).isTrue();
    // the failed seed leaves lora-ga r16 with one seed: no interval, noted, not "within noise"
    Row loraGa16 = row(t, "lora-ga", 16);
    assertThat(loraGa16.stats().n()).isEqualTo(1);
    assertThat(loraGa16.failed()).isEqualTo(1);
    assertThat(t.rows().stream().filter(Row::pareto).map(Row::label))
        // lora-xs has lora-sb's cost and a lower mean; lora-ga r16 and pissa r16 tie, so both stay
        .containsExactly("full", "lora-ga r8", "lora-ga r16", "lora-sb r8", "lora-sb r16", "pissa r16");
    // example SE of one seed: binomial sqrt(p (1 - p) / 1000), e.g. pissa r8 sqrt(0.885 * 0.115 / 1000) = 0.0101
    assertThat(md).contains("| pissa | 8 | 74,498 | 0.8850 | 1 | - | 0.0101 |  | one seed: noise unknown; 1 cancelled |");
    assertThat(md).contains("| **full** | - | 22,713,986 | 0.9120 ± 0.0057 | 2 | [0.8612, 0.9628] | 0.0090 | yes | best |");
  }

  @Test
  void intervals_stayInsideTheMetricsRange() {
    // lora-xs r16: 0.836, 0.860; Student's t reaches 0.848 + 12.706 x 0.012 = 1.0005, cut at 1
    assertThat(md).contains("| lora-xs | 16 | 3,842 | 0.8480 ± 0.0170 | 2 | [0.6955, 1.0000] | 0.0113 |");
    assertThat(row(report.model().tables().get(0), "lora-xs", 16).stats().ciHigh()).isEqualTo(1.0);
  }

  @Test
  void pairedVerdicts_againstTheBest_inMarkdownAndHtml() {
    Table t = report.model().tables().get(0);
    assertThat(t.paired().against().label()).isEqualTo("full");
    assertThat(t.paired().rows()).hasSize(12);
    assertThat(md).contains("#### Paired verdicts against the best (full)");
    assertThat(md).contains("| Method | Rank | Difference | 95% interval | Verdict | Seeds | Examples | McNemar exact p per seed |");
    // lora-xs r8 is 0.07 behind on both seeds: no resample closes that gap
    assertThat(md).contains("| lora-xs | 8 | -0.0700 | [-0.0850, -0.0545] | worse | 2 | 1000 | s1: <0.0001 (b 22, c 100); "
        + "s2: <0.0001 (b 24, c 86) |");
    // lora-ga r16 kept one seed, 0.013 behind on it: the interval reaches past zero
    assertThat(md).contains("| lora-ga | 16 | -0.0130 | [-0.0310, 0.0060] | cannot tell at 95% | 1 | 1000 | s1: 0.2031 (b 38, c 51) |");
    // each cell's own error: full seed 1, 908 of 1000 right: SE 0.0091, Wilson interval [0.8885, 0.9244]
    assertThat(md).contains("#### Example-level errors per cell").contains("(binomial, Wilson interval; inside the metric's range)")
        .contains("| full | - | 1 | 0.9080 | 0.0091 | [0.8885, 0.9244] | 1000 |");
    assertThat(html).contains("<table class=\"example-errors\">");
    assertThat(html).contains("<table class=\"paired-verdicts\">").contains("<tr class=\"verdict-worse\">")
        .contains("<tr class=\"verdict-cannot-tell\">").contains("Paired verdicts against the best (full)");
  }

  private static Row row(Table t, String method, int rank) {
    return t.rows().stream().filter(r -> r.method().equals(method) && r.rank() != null && r.rank() == rank).findFirst().orElseThrow();
  }

  @Test
  void failedCells_listedWithEscapedReasons() {
    assertThat(md).contains("## Failed and cancelled cells");
    assertThat(md).contains("| FAILED | loss diverged (NaN) at step 40 \\| lr 1e-3 | lora-ga-r16-s2 |");
    assertThat(md).contains("| CANCELLED | interrupted (SIGTERM) | pissa-r8-s2 |");
    assertThat(html).contains("loss diverged (NaN) at step 40 | lr 1e-3");
  }

  @Test
  void paperNumbers_labelledAsSuch() {
    assertThat(md).contains("Paper-reported numbers for this table (not measured here");
    assertThat(md).contains("| lora | 8 | 73,728 | 0.9012 | Made-up paper, Table 9 | paper-reported, UNVERIFIED |");
    assertThat(html).contains("<span class=\"unverified\">UNVERIFIED</span>");
  }

  @Test
  void provenanceAndLoss() {
    assertThat(md).contains("| observed.git_commit | abc1234 (26) |");
    assertThat(md).contains("synthetic-sentiment: accuracy by glue-label@v1");
    assertThat(md).contains("#### Training loss: synthetic-sentiment on minilm");
    assertThat(report.model().lossCharts()).hasSize(1);
    assertThat(report.model().lossCharts().get(0).series()).hasSize(13);
  }

  @Test
  void plots_writtenAsPngAndSvg_andEmbeddedInHtml() throws Exception {
    assertThat(report.plotFiles()).extracting(p -> p.getFileName().toString()).containsExactly(
        "metric-synthetic-sentiment-minilm-accuracy-glue-label.png", "metric-synthetic-sentiment-minilm-accuracy-glue-label.svg",
        "loss-synthetic-sentiment-minilm.png", "loss-synthetic-sentiment-minilm.svg");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(report.plotFiles().get(0))));
    assertThat(img.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(Files.readString(report.plotFiles().get(1))).contains("<svg");
    assertThat(html).contains("src=\"data:image/png;base64,");
    assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertThat(md).contains("![accuracy against trainable parameters](plots/metric-synthetic-sentiment-minilm-accuracy-glue-label.png)");
  }

  @Test
  void sameInputs_giveIdenticalFiles() throws Exception {
    ReportService.Report again = ReportService.report(List.of(results), tmp.resolve("out2"), List.of(PAPER));
    assertThat(Files.readString(again.markdown())).isEqualTo(md);
    assertThat(Files.readString(again.html())).isEqualTo(html);
    for (int i = 0; i < report.plotFiles().size(); i++) {
      assertThat(Files.readAllBytes(again.plotFiles().get(i))).isEqualTo(Files.readAllBytes(report.plotFiles().get(i)));
    }
  }

  @Test
  void sameFolderTwice_countsEachCellOnce() throws Exception {
    ReportService.Report twice = ReportService.report(List.of(results, results), tmp.resolve("out3"));
    assertThat(twice.model().tables().get(0).rows().get(0).stats().n()).isEqualTo(2);
  }

  @Test
  void notAResultsFolder_isInvalidInput() {
    assertThatThrownBy(() -> ReportService.report(List.of(tmp.resolve("nope")), tmp.resolve("o")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("nope");
  }
}
