package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.reports.ReportModel.Paired;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.stats.PairedVerdict.Verdict;
import org.peftharness.results.testing.SyntheticResults;
import org.peftharness.tasks.metric.Metrics;

/** Paired verdicts and example-level errors where per-example data is missing, stale, partial, or a correlation. */
class PairedVerdictsTest {
  @TempDir Path tmp;

  private static Path verdicts(Path results, String cell) {
    return results.resolve("cells").resolve(cell).resolve("eval").resolve(SyntheticResults.TASK).resolve("verdicts.jsonl");
  }

  private static Paired paired(Table t, String method, Integer rank) {
    return t.paired().rows().stream().filter(p -> p.row().method().equals(method) && Objects.equals(p.row().rank(), rank))
        .findFirst().orElseThrow();
  }

  private static Row row(Table t, String method, Integer rank) {
    return t.rows().stream().filter(r -> r.method().equals(method) && Objects.equals(r.rank(), rank)).findFirst().orElseThrow();
  }

  @Test
  void olderFolderWithoutVerdicts_stillRenders_withNoPerExampleData() throws Exception {
    Path results = SyntheticResults.write(tmp.resolve("results"));
    Files.delete(verdicts(results, "lora-r8-s1"));
    Files.delete(verdicts(results, "lora-r8-s2"));
    Files.delete(verdicts(results, "lora-r16-s2"));
    Files.writeString(verdicts(results, "lora-fa-r8-s1"), Files.readString(verdicts(results, "full-rx-s1")));
    ReportService.Report r = ReportService.report(List.of(results), tmp.resolve("report"));
    Table t = r.model().tables().get(0);
    String md = Files.readString(r.markdown());
    String html = Files.readString(r.html());

    assertThat(paired(t, "lora", 8).verdict()).isNull();
    assertThat(paired(t, "lora", 8).missing()).isEqualTo("no per-example data (no verdicts.jsonl)");
    assertThat(md).contains("| lora | 8 | 74,498 | 0.8840 ± 0.0057 | 2 | [0.8332, 0.9348] | - |");
    assertThat(md).contains("| lora | 8 | - | - | no per-example data (no verdicts.jsonl) | - | - | - |");
    assertThat(html).contains("<tr class=\"verdict-none\"><td>lora</td><td class=\"num\">8</td>");

    // one seed of two left (seed 1, 0.886: sqrt(0.886 x 0.114 / 1000) = 0.0101): the error and the comparison rest on it, and say so
    assertThat(md).contains("| lora | 16 | 148,226 | 0.8900 ± 0.0057 | 2 | [0.8392, 0.9408] | 0.0101 (1 of 2 seeds) |");
    assertThat(paired(t, "lora", 16).verdict().seeds()).isEqualTo(1);

    // another cell's verdicts do not give this cell's number: not used
    assertThat(row(t, "lora-fa", 8).examples().missingSeeds()).containsExactly(1L);
    assertThat(row(t, "lora-fa", 8).examples().missing())
        .containsExactly("its verdicts (the last evaluation) do not give the reported value, which came from another "
            + "evaluation (select: best) or a rescore");
    assertThat(paired(t, "lora-fa", 8).verdict().seeds()).isEqualTo(1);
  }

  @Test
  void verdictsAtTheTopOfTheCell_asOlderFoldersKeptThem_areRead() throws Exception {
    Path results = SyntheticResults.write(tmp.resolve("results"));
    Path cell = results.resolve("cells").resolve("lora-r8-s1");
    Files.move(verdicts(results, "lora-r8-s1"), cell.resolve("verdicts.jsonl"));
    Table t = ReportService.report(List.of(results), tmp.resolve("report")).model().tables().get(0);
    assertThat(row(t, "lora", 8).examples().seeds()).containsExactly(1L, 2L);
    assertThat(paired(t, "lora", 8).verdict().seeds()).isEqualTo(2);
  }

  @Test
  void bestWithoutVerdicts_noRowIsCompared() throws Exception {
    Path results = SyntheticResults.write(tmp.resolve("results"));
    Files.delete(verdicts(results, "full-rx-s1"));
    Files.delete(verdicts(results, "full-rx-s2"));
    Table t = ReportService.report(List.of(results), tmp.resolve("report")).model().tables().get(0);
    assertThat(t.paired().rows()).hasSize(12)
        .allSatisfy(p -> assertThat(p.missing()).isEqualTo("no per-example data for the best (no verdicts.jsonl)"));
  }

  @Test
  void correlation_bootstrapError_andPairedVerdict() throws Exception {
    // a regression task: gold scores and two methods' predictions, one much noisier; one seed each
    int n = 300;
    Random rng = new Random(3);
    double[] gold = new double[n];
    double[] good = new double[n];
    double[] poor = new double[n];
    for (int i = 0; i < n; i++) {
      gold[i] = 5 * rng.nextDouble();
      good[i] = gold[i] + 0.5 * rng.nextGaussian();
      poor[i] = gold[i] + 3 * rng.nextGaussian();
    }
    Path results = tmp.resolve("sts");
    ResultsFolder folder = new ResultsFolder(results);
    for (String method : List.of("full", "lora")) {
      double[] pred = method.equals("full") ? good : poor;
      String id = method + "-s1";
      folder.commit(id, List.of(new ResultRow("g", id, 0, "minilm", method, method.equals("full") ? null : 8, "stsb", 1,
          CellStatus.OK, "pearson", "glue-score", 1, Metrics.pearson(gold, pred), n, true, 1000L, 2000L, null, 1.0,
          "2026-08-01T10:00:00Z", "2026-08-01T10:00:01Z", "0.1.0", "abc", null)));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(String.format(Locale.ROOT, "{\"index\":%d,\"gold\":%s,\"label\":%s}%n", i, Double.toString(gold[i]),
            Double.toString(pred[i])));
      }
      Path eval = Files.createDirectories(folder.cellDir(id).resolve("eval").resolve("stsb"));
      Files.writeString(eval.resolve("verdicts.jsonl"), sb.toString());
    }
    Table t = ReportService.report(List.of(results), tmp.resolve("report")).model().tables().get(0);
    Row full = row(t, "full", null);
    // Pearson r near 0.945 on 300 examples: the bootstrap SE is near (1 - r^2) / sqrt(n) = 0.0062
    assertThat(full.examples().errors()).singleElement().satisfies(e -> {
      assertThat(e.value()).isCloseTo(Metrics.pearson(gold, good), within(1e-12));
      assertThat(e.se()).isCloseTo((1 - e.value() * e.value()) / Math.sqrt(n), within(0.003));
      assertThat(e.high()).isLessThanOrEqualTo(1.0);
      assertThat(e.method()).startsWith("bootstrap over examples, 1000 resamples");
    });
    Paired lora = paired(t, "lora", 8);
    assertThat(lora.verdict().verdict()).isEqualTo(Verdict.WORSE);
    assertThat(lora.mcnemar()).isEmpty();
    assertThat(lora.verdict().examples()).isEqualTo(n);
  }
}
