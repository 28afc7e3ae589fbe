package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * {@code harness check} on the command line: one cell right on 88 000 of 100 000 examples against
 * a baseline of 0.90, a drop of 2 points that a tolerance of 0.05 accepts and the noise rule does
 * not (binomial SE 0.001).
 */
class CheckCliTest {
  @TempDir static Path tmp;
  static Path results;
  static Path baselines;

  @BeforeAll
  static void folder() throws IOException {
    results = tmp.resolve("results");
    ResultsFolder folder = new ResultsFolder(results);
    String id = "lora-r8-s1";
    int n = 100_000;
    int right = 88_000;
    folder.commit(id, List.of(new ResultRow("cli", id, 0, "minilm", "lora", 8, "t", 1, CellStatus.OK, "accuracy",
        "glue-label", 1, (double) right / n, n, true, 1000L, 22_000_000L, 1000.0, 10.0, "2026-11-29T10:00:00Z",
        "2026-11-29T10:00:10Z", "0.1.0-SNAPSHOT", "abc1234", null)));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format(Locale.ROOT, "{\"index\":%d,\"gold\":1,\"label\":%d,\"correct\":%b}\n", i, i < right ? 1 : 0,
          i < right));
    }
    Path eval = Files.createDirectories(folder.cellDir(id).resolve("eval").resolve("t"));
    Files.writeString(eval.resolve("verdicts.jsonl"), sb.toString());
    baselines = tmp.resolve("baseline.yaml");
    Files.writeString(baselines, """
        baseline: cli
        defaults: {model: minilm, task: t, metric: accuracy, source: constructed, verified: true}
        entries:
          - {method: lora, rank: 8, value: 0.90, tolerance: {absolute: 0.05}}
        """);
  }

  @Test
  void byDefault_theEntrysToleranceJudges() {
    CliRunner r = CliRunner.run("check", results.toString(), "--baselines", baselines.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("PASS").contains("tolerance").contains("within tolerance").contains("100000");
  }

  @Test
  void ruleNoise_failsTheDropTheNoiseDoesNotExplain_andWritesJunit() throws IOException {
    Path junit = tmp.resolve("junit/check.xml");
    CliRunner r = CliRunner.run("check", results.toString(), "--baselines", baselines.toString(), "--rule", "noise",
        "--junit", junit.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL").contains("noise 95%").contains("0.0010").contains("0.0020")
        .contains("regression: worse than noise explains at 95%");
    assertThat(Files.readString(junit)).contains("failures=\"1\"").contains("rule noise 95%");
  }

  @Test
  void badFlags_exit2_withAMessageNamingTheArgument() {
    CliRunner rule = CliRunner.run("check", results.toString(), "--baselines", baselines.toString(), "--rule", "noisy");
    assertThat(rule.exitCode()).isEqualTo(2);
    assertThat(rule.err()).contains("argument --rule").contains("'noisy' is not a rule").doesNotContain("Exception");

    CliRunner level = CliRunner.run("check", results.toString(), "--baselines", baselines.toString(), "--rule", "noise",
        "--confidence", "95");
    assertThat(level.exitCode()).isEqualTo(2);
    assertThat(level.err()).contains("argument --confidence").contains("0.95 for 95%").doesNotContain("Exception");
  }

  @Test
  void ruleTolerance_onAnEntryWithoutTolerance_exits2_namingFileLineAndField() throws IOException {
    Path noTolerance = tmp.resolve("noise-only.yaml");
    Files.writeString(noTolerance, """
        baseline: cli
        defaults: {model: minilm, task: t, metric: accuracy, source: constructed, verified: true, rule: noise}
        entries:
          - {method: lora, rank: 8, value: 0.90}
        """);
    CliRunner byFile = CliRunner.run("check", results.toString(), "--baselines", noTolerance.toString());
    assertThat(byFile.exitCode()).as(byFile.err()).isEqualTo(1);
    CliRunner r = CliRunner.run("check", results.toString(), "--baselines", noTolerance.toString(), "--rule", "tolerance");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(noTolerance + ":4: tolerance: ").doesNotContain("Exception");
  }
}
