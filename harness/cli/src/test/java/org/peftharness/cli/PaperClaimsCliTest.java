package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.ExitCode;
import org.peftharness.reports.Fmt;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;

/** A grid that names published numbers ({@code baselines:}): run copies them, report compares with them. */
class PaperClaimsCliTest {
  @TempDir Path dir;

  static final String PAPER = String.join("\n",
      "baseline: made-up-paper",
      "defaults:",
      "  scale: 100",
      "  tolerance: {absolute: 5.0}",
      "  verified: false",
      "  source: \"test fixture, not a real paper\"",
      "  label: \"Made-up paper, Table 1\"",
      "entries:",
      "  - {model: minilm, task: synthetic-sentiment, method: lora, rank: 4, metric: accuracy, value: 61.94}",
      "  - {model: minilm, task: synthetic-sentiment, method: lora-sb, rank: 4, metric: accuracy, value: 63.38}",
      "");

  Path grid(String baselineText) throws IOException {
    Path papers = Files.createDirectories(dir.resolve("ci"));
    Files.writeString(papers.resolve("made-up-paper.yaml"), baselineText);
    Path grid = Files.createDirectories(dir.resolve("grids")).resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "name: paper-claims",
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "data_dir: ../data",
        "baselines: [../ci/made-up-paper.yaml]",
        "methods: [{name: lora, ranks: [4], alpha: 8}]",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 32, limit_train: 16}",
        "eval: {limit: 16}", ""));
    return grid;
  }

  @Test
  void runCopiesTheGridsBaselines_andReportsComparePaperWithReproduced() throws IOException {
    Path grid = grid(PAPER);
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    assertThat(out.resolve("baselines/made-up-paper.yaml")).hasContent(PAPER);

    List<ResultRow> rows = ResultsCsv.read(out.resolve("results.csv"));
    assertThat(rows).singleElement().satisfies(row -> assertThat(row.protocol()).isNotNull());
    ResultRow lora = rows.get(0);
    // the file's 61.94 percent is 0.6194 on the harness's scale, and the difference is taken there
    String expected = "| lora | 4 | 0.6194 | " + Fmt.num(lora.value()) + " | 1 | - | " + Fmt.signed(lora.value() - 0.6194)
        + " | paper-reported, UNVERIFIED |";
    String runReport = Files.readString(out.resolve("report/report.md"));
    assertThat(runReport).contains("#### Paper vs reproduced")
        .contains("- Paper numbers: Made-up paper, Table 1 (source: test fixture, not a real paper)")
        .contains(expected)
        .contains("| lora-sb | 4 | 0.6338 | not run | - | - | - | paper-reported, UNVERIFIED |");
    assertThat(Files.readString(out.resolve("report/report.html"))).contains("<table class=\"paper-vs-reproduced\">");

    // report picks the folder's copy up by itself; naming the same file again adds no second row
    CliRunner plain = CliRunner.run("report", out.toString(), "--out", dir.resolve("r1").toString());
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    String md = Files.readString(dir.resolve("r1/report.md"));
    assertThat(md).isEqualTo(runReport);
    CliRunner twice = CliRunner.run("report", out.toString(), "--out", dir.resolve("r2").toString(), "--baselines",
        dir.resolve("ci/made-up-paper.yaml").toString());
    assertThat(twice.exitCode()).as(twice.err()).isZero();
    assertThat(Files.readString(dir.resolve("r2/report.md"))).isEqualTo(md);
    assertThat(md.lines().filter(expected::equals)).hasSize(1);
    assertThat(md.lines().filter(l -> l.startsWith("| lora | 4 | - | 0.6194 |"))).hasSize(1); // the reference table's row
  }

  @Test
  void aMalformedBaselineFile_stopsTheRunBeforeAnyCell() throws IOException {
    Path grid = grid("baseline: broken\nentries: []\n");
    Path out = dir.resolve("out");
    CliRunner r = CliRunner.run("run", "--grid", grid.toString(), "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID_INPUT.code());
    assertThat(r.err()).contains("made-up-paper.yaml").contains("entries");
    assertThat(out.resolve("cells")).doesNotExist();
  }
}
