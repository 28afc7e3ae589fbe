package org.peftharness.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.ci.check.CheckResult;
import org.peftharness.ci.check.CheckRow;
import org.peftharness.ci.check.CheckService;
import org.peftharness.ci.check.Outcome;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.testing.SyntheticResults;
import org.w3c.dom.Document;

/**
 * Against the shared synthetic folder: minilm / synthetic-sentiment / accuracy, two seeds; e.g.
 * lora r8 = 0.880, 0.888 (mean 0.884); full = 0.908, 0.916 (mean 0.912); lora-xs r8 = 0.830, 0.854
 * (mean 0.842, sample std 0.012 x sqrt 2 = 0.016971); lora-ga r16 has one finished seed.
 */
class CheckServiceTest {
  @TempDir static Path tmp;
  static Path results;

  @BeforeAll
  static void folder() throws Exception {
    results = SyntheticResults.write(tmp.resolve("results"));
  }

  private static CheckResult check(String entries) throws Exception {
    Path f = Files.createTempFile(tmp, "baseline", ".yaml");
    Files.writeString(f, """
        baseline: test
        defaults: {model: minilm, task: synthetic-sentiment, metric: accuracy, source: synthetic, verified: true}
        entries:
        """ + entries);
    return CheckService.check(results, List.of(f));
  }

  private static CheckRow only(CheckResult r) {
    assertThat(r.rows()).hasSize(1);
    return r.rows().get(0);
  }

  @Test
  void pass_withinAbsoluteTolerance() throws Exception {
    CheckResult r = check("  - {method: lora, rank: 8, value: 0.89, tolerance: {absolute: 0.01}}\n");
    CheckRow row = only(r);
    assertThat(row.outcome()).isEqualTo(Outcome.PASS);
    assertThat(row.measured()).isCloseTo(0.884, within(1e-12));
    assertThat(row.n()).isEqualTo(2);
    assertThat(r.exitCode()).isEqualTo(ExitCode.OK.code());
  }

  @Test
  void regression_beyondTolerance_exits1() throws Exception {
    CheckResult r = check("""
          - {method: full, value: 0.93, tolerance: {absolute: 0.01}}
          - {method: lora, rank: 8, value: 0.884, tolerance: {absolute: 0.01}}
        """);
    assertThat(r.rows()).extracting(CheckRow::outcome).containsExactly(Outcome.FAIL, Outcome.PASS);
    assertThat(r.rows().get(0).delta()).isCloseTo(-0.018, within(1e-12));
    assertThat(r.hasRegression()).isTrue();
    assertThat(r.exitCode()).isEqualTo(1);
    Files.writeString(Path.of("target", "check-example.txt"), r.table()); // for a person to look at
    assertThat(r.table()).contains("FAIL").contains("-0.0180").contains("2 checked: 1 pass, 0 improved, 0 missing, 1 FAIL");
  }

  @Test
  void improvement_isReported_notFailed() throws Exception {
    CheckResult r = check("  - {method: lora-xs, rank: 8, value: 0.80, tolerance: {absolute: 0.02}}\n");
    assertThat(only(r).outcome()).isEqualTo(Outcome.IMPROVED);
    assertThat(r.exitCode()).isEqualTo(0);
    assertThat(r.junitXml()).contains("<system-out>IMPROVED beyond the band");
  }

  @Test
  void lowerIsBetter_flipsTheDirection() throws Exception {
    CheckResult r = check("  - {method: full, value: 0.93, direction: lower, tolerance: {absolute: 0.01}}\n");
    assertThat(only(r).outcome()).isEqualTo(Outcome.IMPROVED);
  }

  @Test
  void missing_cells_metrics_andProtocols() throws Exception {
    CheckResult r = check("""
          - {method: dora, rank: 8, value: 0.9, tolerance: {absolute: 0.01}}
          - {method: lora, rank: 8, metric: f1, value: 0.9, tolerance: {absolute: 0.01}}
          - {method: lora, rank: 8, protocol: strict, value: 0.9, tolerance: {absolute: 0.01}}
          - {method: lora, rank: 8, model: roberta-large, value: 0.9, tolerance: {absolute: 0.01}}
        """);
    assertThat(r.rows()).extracting(CheckRow::outcome).containsOnly(Outcome.MISSING);
    assertThat(r.rows().get(0).detail()).contains("no cell");
    assertThat(r.rows().get(1).detail()).contains("no f1").contains("accuracy [glue-label]");
    assertThat(r.rows().get(2).detail()).contains("by protocol strict");
    assertThat(r.exitCode()).isEqualTo(0); // missing is reported, not a regression
    assertThat(r.summary()).isEqualTo("4 checked: 0 pass, 0 improved, 4 missing, 0 fail");
  }

  @Test
  void failedSeed_leavesTheFinishedOne() throws Exception {
    // lora-ga r16: seed 1 finished (0.895), seed 2 FAILED
    CheckRow row = only(check("  - {method: lora-ga, rank: 16, value: 0.899, tolerance: {absolute: 0.005}}\n"));
    assertThat(row.outcome()).isEqualTo(Outcome.PASS);
    assertThat(row.n()).isEqualTo(1);
  }

  @Test
  void stdTolerance_measuredSeedStd() throws Exception {
    // lora-xs r8: mean 0.842, measured std 0.016971; expected 0.87 -> delta -0.028
    CheckRow two = only(check("  - {method: lora-xs, rank: 8, value: 0.87, tolerance: {stds: 2}}\n"));
    assertThat(two.tolerance()).isCloseTo(2 * 0.012 * Math.sqrt(2), within(1e-12));
    assertThat(two.outcome()).isEqualTo(Outcome.PASS);
    CheckRow one = only(check("  - {method: lora-xs, rank: 8, value: 0.87, tolerance: {stds: 1}}\n"));
    assertThat(one.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(one.detail()).contains("1 x measured std over 2 seeds");
  }

  @Test
  void stdTolerance_baselineStd_andAbsoluteFloor() throws Exception {
    CheckRow tight = only(check("  - {method: lora-xs, rank: 8, value: 0.85, std: 0.002, tolerance: {stds: 3}}\n"));
    assertThat(tight.tolerance()).isCloseTo(0.006, within(1e-12));
    assertThat(tight.outcome()).isEqualTo(Outcome.FAIL);
    CheckRow floor = only(check("  - {method: lora-xs, rank: 8, value: 0.85, std: 0.002, tolerance: {stds: 3, absolute: 0.01}}\n"));
    assertThat(floor.tolerance()).isCloseTo(0.01, within(1e-12));
    assertThat(floor.outcome()).isEqualTo(Outcome.PASS);
    // one finished seed and no baseline std: the band cannot be formed
    CheckRow none = only(check("  - {method: lora-ga, rank: 16, value: 0.9, tolerance: {stds: 2}}\n"));
    assertThat(none.outcome()).isEqualTo(Outcome.MISSING);
  }

  @Test
  void scale_andMedian() throws Exception {
    CheckRow pct = only(check("  - {method: lora, rank: 8, value: 88.4, scale: 100, aggregate: median, tolerance: {absolute: 0.5}}\n"));
    assertThat(pct.outcome()).isEqualTo(Outcome.PASS);
    assertThat(pct.measured()).isCloseTo(88.4, within(1e-9));
  }

  @Test
  void paperBaselines_onACpuRun_areAllMissing() throws Exception {
    CheckResult r = CheckService.check(results, List.of(Path.of("baselines", "paper-lora-sb.yaml")));
    assertThat(r.rows()).hasSize(24).extracting(CheckRow::outcome).containsOnly(Outcome.MISSING);
    assertThat(r.exitCode()).isEqualTo(0);
  }

  @Test
  void junitXml_isWellFormed_withFailuresAndSkips() throws Exception {
    CheckResult r = check("""
          - {method: full, value: 0.93, tolerance: {absolute: 0.01}, note: "a <tricky> & \\"quoted\\" note"}
          - {method: lora, rank: 8, value: 0.884, tolerance: {absolute: 0.01}}
          - {method: dora, rank: 8, value: 0.9, tolerance: {absolute: 0.01}}
        """);
    String xml = r.junitXml();
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(d.getDocumentElement().getAttribute("tests")).isEqualTo("3");
    assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    assertThat(d.getDocumentElement().getAttribute("skipped")).isEqualTo("1");
    assertThat(d.getElementsByTagName("testcase").getLength()).isEqualTo(3);
    assertThat(d.getElementsByTagName("failure").item(0).getTextContent()).contains("minilm / synthetic-sentiment / full");
    Path out = tmp.resolve("junit/check.xml");
    r.writeJunitXml(out);
    assertThat(Files.readString(out)).isEqualTo(xml);
    assertThat(check("""
          - {method: full, value: 0.93, tolerance: {absolute: 0.01}, note: "a <tricky> & \\"quoted\\" note"}
          - {method: lora, rank: 8, value: 0.884, tolerance: {absolute: 0.01}}
          - {method: dora, rank: 8, value: 0.9, tolerance: {absolute: 0.01}}
        """).junitXml().replaceAll("baseline\\d+\\.yaml", "")).isEqualTo(xml.replaceAll("baseline\\d+\\.yaml", ""));
  }

  @Test
  void invalidInput_isInvalidInputException_whichTheCliMapsTo2() throws Exception {
    assertThat(ExitCode.INVALID_INPUT.code()).isEqualTo(2);
    assertThatThrownBy(() -> check("  - {method: lora, rank: 8, value: 0.9, tolerence: {absolute: 0.01}}\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.field()).isEqualTo("entries[0].tolerence");
          assertThat(e.source()).endsWith(".yaml");
        });
    assertThatThrownBy(() -> CheckService.check(tmp.resolve("no-such-results"), List.of(Path.of("baselines", "paper-pissa.yaml"))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("results folder not found");
  }
}
