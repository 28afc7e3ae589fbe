package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.reports.ReportModel.PaperComparison;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.baseline.ReferencePoint;

/** The "Paper vs reproduced" table: which measured row each paper number is matched to, and how it is written. */
class PaperComparisonTest {
  @TempDir Path tmp;

  static final String SOURCE = "test fixture, not a real paper";

  /** A finished cell's row of task "arith" on model "tiny" (two protocols score each cell). */
  static ResultRow row(String method, Integer rank, long seed, String protocol, double value) {
    String id = method + "-r" + rank + "-s" + seed + "-" + protocol;
    return new ResultRow("g", id, 0, "tiny", method, rank, "arith", seed, CellStatus.OK, "accuracy", protocol, 1, value, 100,
        true, 1000L, 10_000L, null, 1.0, "2026-08-01T10:00:00Z", "2026-08-01T10:00:01Z", "0.1.0", "abc", null);
  }

  static ReferencePoint paper(String model, String task, String method, Integer rank, String protocol, double value,
      boolean verified) {
    return new ReferencePoint(model, task, method, rank, "accuracy", protocol, null, value, "Paper A, Table 1", SOURCE,
        verified);
  }

  List<LoadedRow> rows() {
    List<LoadedRow> out = new ArrayList<>();
    for (String protocol : List.of("strict", "flexible")) {
      double shift = protocol.equals("strict") ? 0 : 0.1;
      out.add(new LoadedRow(row("lora", 8, 1, protocol, 0.50 + shift), tmp));
      out.add(new LoadedRow(row("lora", 8, 2, protocol, 0.54 + shift), tmp));
      out.add(new LoadedRow(row("full", null, 1, protocol, 0.70 + shift), tmp));
    }
    return out;
  }

  static Table table(List<Table> tables, String protocol) {
    return tables.stream().filter(t -> t.key().protocol().equals(protocol)).findFirst().orElseThrow();
  }

  @Test
  void aPointNamingNoProtocol_isComparedInEveryProtocolsTable_withThatProtocolsSeeds() {
    ReferencePoint any = paper("tiny", "arith", "lora", 8, null, 0.61, false);
    List<Table> tables = ReportBuilder.tables(rows(), List.of(any));
    assertThat(tables).hasSize(2);
    PaperComparison strict = table(tables, "strict").comparisons().get(0);
    PaperComparison flexible = table(tables, "flexible").comparisons().get(0);
    assertThat(strict.paper()).isSameAs(any);
    assertThat(strict.reproduced().stats().mean()).isCloseTo(0.52, within(1e-12));
    assertThat(strict.difference()).isCloseTo(0.52 - 0.61, within(1e-12));
    assertThat(flexible.reproduced().stats().mean()).isCloseTo(0.62, within(1e-12));
    assertThat(flexible.difference()).isCloseTo(0.62 - 0.61, within(1e-12));
  }

  @Test
  void aPointNamingAProtocol_isComparedInThatTableOnly_andCaseOfNamesDoesNotMatter() {
    ReferencePoint strictOnly = paper("TINY", "Arith", "LoRA", 8, "strict", 0.6, true);
    List<Table> tables = ReportBuilder.tables(rows(), List.of(strictOnly));
    assertThat(table(tables, "strict").comparisons()).singleElement()
        .satisfies(c -> assertThat(c.reproduced().label()).isEqualTo("lora r8"));
    assertThat(table(tables, "flexible").comparisons()).isEmpty();
  }

  @Test
  void rankMustMatch_fullFineTuningHasNone_andAnUnrunMethodIsNotRun() {
    ReferencePoint full = paper("tiny", "arith", "full", null, "strict", 0.75, true);
    ReferencePoint otherRank = paper("tiny", "arith", "lora", 16, "strict", 0.6, true);
    ReferencePoint notRun = paper("tiny", "arith", "lora-sb", 8, "strict", 0.6, true);
    Table t = table(ReportBuilder.tables(rows(), List.of(full, otherRank, notRun)), "strict");
    // sorted by method, then rank
    assertThat(t.comparisons()).extracting(PaperComparison::paper).containsExactly(full, otherRank, notRun);
    assertThat(t.comparisons().get(0).reproduced().label()).isEqualTo("full");
    assertThat(t.comparisons().get(0).difference()).isCloseTo(0.70 - 0.75, within(1e-12));
    assertThat(t.comparisons().get(1).reproduced()).isNull();
    assertThat(t.comparisons().get(1).difference()).isNaN();
    assertThat(t.comparisons().get(2).reproduced()).isNull();
    assertThat(ReportText.comparisonRows(t)).containsExactly(
        List.of("full", "-", "0.7500", "0.7000", "1", "-", "-0.0500", "paper-reported"),
        List.of("lora", "16", "0.6000", "not run", "-", "-", "-", "paper-reported"),
        List.of("lora-sb", "8", "0.6000", "not run", "-", "-", "-", "paper-reported"));
  }

  @Test
  void unverifiedMark_onEveryRowOfAnUnverifiedPoint_inBothWriters() throws Exception {
    ReferencePoint a = paper("tiny", "arith", "lora", 8, null, 0.61, false);
    ReferencePoint b = paper("tiny", "arith", "lora-sb", 8, null, 0.66, false);
    ReportModel m = ReportBuilder.build(List.of(tmp), new ResultsLoader.Loaded(rows(), List.of()), List.of(a, b));
    for (Table t : m.tables()) {
      assertThat(ReportText.comparisonRows(t)).hasSize(2)
          .allSatisfy(r -> assertThat(r.get(r.size() - 1)).isEqualTo("paper-reported, UNVERIFIED"));
    }
    String md = MarkdownWriter.write(m);
    // two points in each of two tables: a row in the reference table and one in the comparison table
    assertThat(md.lines().filter(l -> l.contains("| paper-reported, UNVERIFIED |"))).hasSize(2 * 2 + 2 * 2);
    String html = HtmlWriter.write(m, java.util.Map.of());
    assertThat(html.split("<table class=\"paper-vs-reproduced\">", -1)).hasSize(3);
    for (String part : html.split("<table class=\"paper-vs-reproduced\">")) {
      if (part.startsWith("\n<thead>")) {
        String body = part.substring(0, part.indexOf("</table>"));
        assertThat(body.split("<span class=\"unverified\">UNVERIFIED</span>", -1)).hasSize(3);
      }
    }
  }

  @Test
  void markdown_exactForATinyCase() throws Exception {
    ReferencePoint a = paper("tiny", "arith", "lora", 8, "strict", 0.5, false);
    ReferencePoint b = paper("tiny", "arith", "lora-sb", 8, "strict", 0.6, false);
    ReportModel m = ReportBuilder.build(List.of(tmp), new ResultsLoader.Loaded(rows(), List.of()), List.of(a, b));
    String md = MarkdownWriter.write(m);
    int start = md.indexOf("#### Paper vs reproduced");
    String section = md.substring(start, md.indexOf("\n\n", md.indexOf("| Method", start)) + 2);
    // mean of 0.50 and 0.54 is 0.52, std 0.0283, t(0.975, 1) = 12.706: half-width 0.2541
    assertThat(section).isEqualTo("""
        #### Paper vs reproduced

        %s

        - Paper numbers: Paper A, Table 1 (source: test fixture, not a real paper)

        | Method | Rank | Paper | Reproduced | n | 95%% CI | Reproduced − paper | Status |
        |---|---:|---:|---:|---:|---|---:|---|
        | lora | 8 | 0.5000 | 0.5200 | 2 | [0.2659, 0.7741] | +0.0200 | paper-reported, UNVERIFIED |
        | lora-sb | 8 | 0.6000 | not run | - | - | - | paper-reported, UNVERIFIED |

        """.formatted(ReportText.COMPARISON_LEGEND));
    // only the strict table compares; flexible has no paper number
    assertThat(md.split("#### Paper vs reproduced", -1)).hasSize(2);
  }

  @Test
  void severalSources_eachNamedOnce_andLabelledPerRow() {
    ReferencePoint a = paper("tiny", "arith", "lora", 8, "strict", 0.5, true);
    ReferencePoint b = new ReferencePoint("tiny", "arith", "lora", 8, "accuracy", null, null, 0.55, "Paper B, Table 2",
        "paper B's README", false);
    Table t = table(ReportBuilder.tables(rows(), List.of(a, b)), "strict");
    assertThat(ReportText.comparisonHeader(t)).containsExactly("Method", "Rank", "Paper", "Reproduced", "n", "95% CI",
        "Reproduced − paper", "Reported by", "Status");
    assertThat(ReportText.comparisonRows(t)).extracting(r -> r.get(6) + " " + r.get(7) + " " + r.get(8)).containsExactly(
        "+0.0200 Paper A, Table 1 paper-reported", "-0.0300 Paper B, Table 2 paper-reported, UNVERIFIED");
    assertThat(ReportText.comparisonSources(t)).containsExactly(
        "Paper A, Table 1 (source: test fixture, not a real paper)", "Paper B, Table 2 (source: paper B's README)");
  }

  @Test
  void signsSurviveRounding() {
    assertThat(Fmt.signed(-0.00001)).isEqualTo("-0.0000");
    assertThat(Fmt.signed(0.00001)).isEqualTo("+0.0000");
    assertThat(Fmt.signed(Double.NaN)).isEqualTo("-");
  }

  @Test
  void pointsMatchingNoTable_areNamedInTheNotes() throws Exception {
    ReferencePoint otherTask = paper("tiny", "gsm8k", "lora", 8, null, 0.6, false);
    ReferencePoint otherProtocol = paper("tiny", "arith", "lora", 8, "lorasb-answer-is", 0.6, false);
    ReportModel m = ReportBuilder.build(List.of(tmp), new ResultsLoader.Loaded(rows(), List.of()),
        List.of(otherTask, otherProtocol));
    assertThat(m.tables()).allSatisfy(t -> assertThat(t.comparisons()).isEmpty());
    assertThat(m.notes()).containsExactly(
        "1 paper-reported number(s) for tiny / arith / accuracy, protocol lorasb-answer-is not compared: no finished "
            + "cell of these results has that model, task, metric and protocol (lora r8; Paper A, Table 1)",
        "1 paper-reported number(s) for tiny / gsm8k / accuracy not compared: no finished cell of these results has "
            + "that model, task and metric (lora r8; Paper A, Table 1)");
  }
}
