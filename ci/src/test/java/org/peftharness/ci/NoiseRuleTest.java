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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.ci.baseline.Rule;
import org.peftharness.ci.check.CheckOptions;
import org.peftharness.ci.check.CheckResult;
import org.peftharness.ci.check.CheckRow;
import org.peftharness.ci.check.CheckService;
import org.peftharness.ci.check.Outcome;
import org.peftharness.ci.noise.NoiseBand;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.stats.Bootstrap;
import org.peftharness.results.stats.ExampleError;
import org.peftharness.results.stats.MetricRange;
import org.peftharness.results.stats.StudentT;
import org.peftharness.results.testing.SyntheticResults;
import org.peftharness.tasks.metric.Metrics;
import org.w3c.dom.Document;

/** The noise rule: a regression is a drop that the example-level and seed-level noise does not explain. */
class NoiseRuleTest {
  @TempDir Path tmp;

  private CheckResult check(Path results, CheckOptions options, String entries) throws Exception {
    Path f = Files.createTempFile(tmp, "baseline", ".yaml");
    Files.writeString(f, """
        baseline: noise
        defaults: {model: minilm, task: t, metric: accuracy, source: constructed, verified: true}
        entries:
        """ + entries);
    return CheckService.check(results, List.of(f), options);
  }

  private CheckRow only(Path results, CheckOptions options, String entries) throws Exception {
    CheckResult r = check(results, options, entries);
    assertThat(r.rows()).hasSize(1);
    return r.rows().get(0);
  }

  private CheckRow only(Path results, String entries) throws Exception {
    return only(results, CheckOptions.DEFAULT, entries);
  }

  @Test
  void twoPointDrop_isWithinNoiseOn100Examples_butARegressionOn100000() throws Exception {
    Path small = new TinyResults(tmp.resolve("small")).accuracy("lora", 1, 88, 100).dir();
    CheckRow pass = only(small, "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n");
    assertThat(pass.rule()).isEqualTo(Rule.NOISE);
    assertThat(pass.outcome()).isEqualTo(Outcome.PASS);
    assertThat(pass.delta()).isCloseTo(-0.02, within(1e-12));
    // one seed, binomial SE sqrt(p(1-p)/n), nothing estimated: the normal critical value
    assertThat(pass.noise().se()).isCloseTo(Math.sqrt(0.88 * 0.12 / 100), within(1e-15));
    assertThat(pass.noise().se()).isCloseTo(0.0324962, within(1e-7));
    assertThat(pass.noise().critical()).isCloseTo(ExampleError.Z95, within(1e-12));
    assertThat(pass.noise().distribution()).isEqualTo("z");
    assertThat(pass.tolerance()).isCloseTo(ExampleError.Z95 * Math.sqrt(0.88 * 0.12 / 100), within(1e-12));
    assertThat(pass.examples()).isEqualTo("100");
    assertThat(pass.verdict()).isEqualTo("within noise at 95%");

    Path large = new TinyResults(tmp.resolve("large")).accuracy("lora", 1, 88_000, 100_000).dir();
    CheckResult r = check(large, CheckOptions.DEFAULT, "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n");
    CheckRow fail = r.rows().get(0);
    assertThat(fail.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(fail.noise().se()).isCloseTo(Math.sqrt(0.88 * 0.12 / 100_000), within(1e-15));
    assertThat(fail.tolerance()).isCloseTo(0.0020141, within(1e-7));
    assertThat(fail.verdict()).isEqualTo("regression: worse than noise explains at 95%");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(fail.detail()).contains("-19.46 SE").contains("binomial, Wilson interval, verdicts of 1 cell(s)")
        .contains("seeds 0.0000 (unknown with 1 seed and no baseline std: not counted)")
        .contains("baseline 0.0000 (taken as exact: the entry gives no std or n)");
  }

  @Test
  void identicalResult_passes_andARiseBeyondNoise_isImproved() throws Exception {
    Path large = new TinyResults(tmp.resolve("r")).accuracy("lora", 1, 88_000, 100_000).dir();
    CheckRow same = only(large, "  - {method: lora, rank: 8, value: 0.88, rule: noise}\n");
    assertThat(same.outcome()).isEqualTo(Outcome.PASS);
    assertThat(same.delta()).isZero();
    CheckRow better = only(large, "  - {method: lora, rank: 8, value: 0.86, rule: noise}\n");
    assertThat(better.outcome()).isEqualTo(Outcome.IMPROVED);
    assertThat(better.verdict()).isEqualTo("better than noise explains at 95%");
    CheckRow lower = only(large, "  - {method: lora, rank: 8, value: 0.86, rule: noise, direction: lower}\n");
    assertThat(lower.outcome()).isEqualTo(Outcome.FAIL);
  }

  @Test
  void twoSeeds_addTheirSpread_withWelchSatterthwaiteDegreesOfFreedom() throws Exception {
    Path two = new TinyResults(tmp.resolve("two")).accuracy("lora", 1, 870, 1000).accuracy("lora", 2, 890, 1000).dir();
    CheckRow row = only(two, "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n");
    double example2 = (0.87 * 0.13 / 1000 + 0.89 * 0.11 / 1000) / 2; // mean of the seeds' squared SEs
    double seed2 = 0.0002 / 2; // sample variance of (0.87, 0.89) over 2 seeds
    NoiseBand n = row.noise();
    assertThat(n.exampleSe()).isCloseTo(Math.sqrt(example2), within(1e-15));
    assertThat(n.seedSe()).isCloseTo(0.01, within(1e-12));
    assertThat(n.se()).isCloseTo(Math.sqrt(example2 + seed2), within(1e-15));
    double df = (example2 + seed2) * (example2 + seed2) / (seed2 * seed2 / 1);
    assertThat(n.df()).isCloseTo(df, within(1e-9));
    assertThat(n.df()).isCloseTo(4.2230, within(1e-4));
    assertThat(n.critical()).isCloseTo(StudentT.quantile(0.975, df), within(1e-12));
    assertThat(row.n()).isEqualTo(2);
    assertThat(row.outcome()).isEqualTo(Outcome.PASS);
    assertThat(row.detail()).contains("std 0.0141 over 2 seeds / sqrt 2").contains("t, df 4.2");
  }

  @Test
  void theBaselinesOwnStdSeedsAndN_widenTheBand() throws Exception {
    Path large = new TinyResults(tmp.resolve("r")).accuracy("lora", 1, 88_000, 100_000).dir();
    CheckRow row = only(large, "  - {method: lora, rank: 8, value: 0.90, std: 0.01, seeds: 4, n: 1000, rule: noise}\n");
    NoiseBand n = row.noise();
    // the baseline: its mean over 4 seeds and its binomial error on 1000 examples
    assertThat(n.baselineSe()).isCloseTo(Math.sqrt(0.01 * 0.01 / 4 + 0.9 * 0.1 / 1000), within(1e-15));
    // one measured seed: its spread is the baseline's std
    assertThat(n.seedSe()).isCloseTo(0.01, within(1e-15));
    double v = 0.88 * 0.12 / 100_000 + 0.0001 + 0.01 * 0.01 / 4 + 0.9 * 0.1 / 1000;
    assertThat(n.se()).isCloseTo(Math.sqrt(v), within(1e-15));
    // both std parts are one estimate with 3 degrees of freedom
    double estimated = 0.0001 + 0.01 * 0.01 / 4;
    assertThat(n.df()).isCloseTo(v * v / (estimated * estimated / 3), within(1e-9));
    assertThat(row.outcome()).isEqualTo(Outcome.PASS);
    assertThat(row.detail()).contains("std 0.0100 / sqrt 4 seeds + binomial on n 1000");
  }

  @Test
  void withoutVerdicts_anAccuracyFallsBackToTheRowsBinomial_andSaysSo() throws Exception {
    Path csvOnly = new TinyResults(tmp.resolve("r")).accuracyWithoutVerdicts("lora", 1, 0.88, 100).dir();
    CheckResult r = check(csvOnly, CheckOptions.DEFAULT, "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n");
    CheckRow row = r.rows().get(0);
    assertThat(row.noise().se()).isCloseTo(Math.sqrt(0.88 * 0.12 / 100), within(1e-15));
    assertThat(row.outcome()).isEqualTo(Outcome.PASS);
    assertThat(row.detail()).contains("binomial from results.csv value and n for 1 of 1 cell(s)").contains("no verdicts.jsonl");
    assertThat(r.table()).contains("binomial from results.csv value and n");
  }

  @Test
  void withoutVerdictsOrN_isInvalidInput_namingTheField() throws Exception {
    Path noN = new TinyResults(tmp.resolve("r")).accuracyWithoutVerdicts("lora", 1, 0.88, null).dir();
    assertThatThrownBy(() -> check(noN, CheckOptions.DEFAULT, "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.source()).endsWith("results.csv");
          assertThat(e.field()).isEqualTo("n");
          assertThat(e.problem()).contains("lora-r8-s1").contains("--rule tolerance");
        });
  }

  private static int[][] labels() {
    int n = 200;
    int[] gold = new int[n];
    int[] predicted = new int[n];
    for (int i = 0; i < n; i++) {
      gold[i] = i % 2;
      predicted[i] = i % 7 == 0 ? 1 - gold[i] : gold[i]; // 29 of 200 wrong
    }
    return new int[][] {gold, predicted};
  }

  @Test
  void mcc_isBootstrappedOverTheStoredVerdicts() throws Exception {
    int[][] l = labels();
    double mcc = Metrics.matthews(l[0], l[1]);
    Path dir = new TinyResults(tmp.resolve("r")).labels("lora", 1, "mcc", mcc, l[0], l[1], true).dir();
    CheckRow row = only(dir, "  - {method: lora, rank: 8, metric: mcc, value: 0.72, rule: noise}\n");
    ExampleError byHand = Bootstrap.error(200, positions -> {
      int[] g = new int[positions.length];
      int[] p = new int[positions.length];
      for (int i = 0; i < positions.length; i++) {
        g[i] = l[0][positions[i]];
        p[i] = l[1][positions[i]];
      }
      return Metrics.matthews(g, p);
    }, MetricRange.CORRELATION);
    assertThat(row.noise().exampleSe()).isGreaterThan(0).isCloseTo(byHand.se(), within(1e-15));
    assertThat(row.detail()).contains(Bootstrap.description());
    assertThat(row.outcome()).isEqualTo(Outcome.PASS);
  }

  @Test
  void mccWithoutVerdicts_isInvalidInput_namingTheVerdictsFile() throws Exception {
    int[][] l = labels();
    Path dir = new TinyResults(tmp.resolve("r")).labels("lora", 1, "mcc", Metrics.matthews(l[0], l[1]), l[0], l[1], false)
        .dir();
    assertThatThrownBy(() -> check(dir, CheckOptions.DEFAULT, "  - {method: lora, rank: 8, metric: mcc, value: 0.7, rule: noise}\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.source()).endsWith(Path.of("cells", "lora-r8-s1", "eval", "t", "verdicts.jsonl").toString());
          assertThat(e.problem()).contains("no verdicts.jsonl").contains("mcc").contains("--rule tolerance")
              .contains(".yaml:4");
        });
  }

  @Test
  void toleranceRule_staysTheDefault_andRuleOverridesIt() throws Exception {
    Path large = new TinyResults(tmp.resolve("r")).accuracy("lora", 1, 88_000, 100_000).dir();
    String entry = "  - {method: lora, rank: 8, value: 0.90, tolerance: {absolute: 0.05}}\n";
    CheckRow byFile = only(large, entry);
    assertThat(byFile.rule()).isEqualTo(Rule.TOLERANCE);
    assertThat(byFile.noise()).isNull();
    assertThat(byFile.outcome()).isEqualTo(Outcome.PASS);
    assertThat(byFile.verdict()).isEqualTo("within tolerance");
    assertThat(byFile.examples()).isEqualTo("100000");

    CheckRow byNoise = only(large, CheckOptions.parse("noise", null), entry);
    assertThat(byNoise.rule()).isEqualTo(Rule.NOISE);
    assertThat(byNoise.outcome()).isEqualTo(Outcome.FAIL);

    CheckRow stillTolerance = only(large, CheckOptions.parse("tolerance", null),
        "  - {method: lora, rank: 8, value: 0.90, rule: noise, tolerance: {absolute: 0.05}}\n");
    assertThat(stillTolerance.rule()).isEqualTo(Rule.TOLERANCE);
    assertThat(stillTolerance.outcome()).isEqualTo(Outcome.PASS);

    assertThatThrownBy(() -> check(large, CheckOptions.parse("tolerance", null),
        "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.field()).isEqualTo("tolerance");
          assertThat(e.problem()).contains("--rule tolerance needs one");
        });
  }

  @Test
  void confidenceLevel_setsTheCriticalValue() throws Exception {
    Path large = new TinyResults(tmp.resolve("r")).accuracy("lora", 1, 88_000, 100_000).dir();
    CheckRow row = only(large, CheckOptions.parse(null, "0.99"), "  - {method: lora, rank: 8, value: 0.90, rule: noise}\n");
    assertThat(row.noise().critical()).isCloseTo(2.5758293035489004, within(1e-12));
    assertThat(row.ruleLabel()).isEqualTo("noise 99%");
  }

  @Test
  void badFlags_areInvalidInput_namingTheArgument() {
    assertThatThrownBy(() -> CheckOptions.parse("noize", null)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.source()).isEqualTo("argument --rule");
      assertThat(e.problem()).contains("'noize' is not a rule").containsPattern("did you mean '?noise'?");
    });
    assertThatThrownBy(() -> CheckOptions.parse(null, "95")).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.source()).isEqualTo("argument --confidence");
      assertThat(e.problem()).contains("0.95 for 95%").contains("a fraction");
    });
    assertThatThrownBy(() -> CheckOptions.parse(null, "high")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("argument --confidence").hasMessageContaining("'high'");
    assertThat(CheckOptions.parse(" Noise ", "0.9").rule()).isEqualTo(Rule.NOISE);
  }

  @Test
  void syntheticFolder_twoSeedsOnAThousandExamples() throws Exception {
    // lora r8: 880 and 888 of 1000 right (verdicts stored), mean 0.884
    Path results = SyntheticResults.write(tmp.resolve("synthetic"));
    Path f = Files.createTempFile(tmp, "baseline", ".yaml");
    Files.writeString(f, """
        baseline: synthetic
        defaults: {model: minilm, task: synthetic-sentiment, metric: accuracy, source: synthetic, verified: true, rule: noise}
        entries:
          - {method: lora, rank: 8, value: 0.90}
          - {method: full, value: 0.95}
          - {method: lora-xs, rank: 8, value: 0.78}
        """);
    CheckResult r = CheckService.check(results, List.of(f), CheckOptions.DEFAULT);
    CheckRow lora = r.rows().get(0);
    double example2 = (0.88 * 0.12 + 0.888 * 0.112) / 1000 / 2;
    double seed2 = 0.0056568542494923 * 0.0056568542494923 / 2;
    assertThat(lora.noise().se()).isCloseTo(Math.sqrt(example2 + seed2), within(1e-12));
    assertThat(lora.noise().df()).isCloseTo(54.88, within(0.01));
    assertThat(lora.outcome()).isEqualTo(Outcome.PASS); // -0.016 within about 2.00 x 0.0109
    assertThat(r.rows()).extracting(CheckRow::outcome).containsExactly(Outcome.PASS, Outcome.FAIL, Outcome.IMPROVED);

    String table = r.table();
    Files.writeString(Path.of("target", "check-noise-example.txt"), table); // for a person to look at
    assertThat(table.lines().findFirst().orElseThrow()).contains("rule").contains("se").contains("band").contains("seeds")
        .contains("examples").contains("verdict");
    assertThat(table).contains("noise 95%").contains("within noise at 95%")
        .contains("regression: worse than noise explains at 95%").contains("1000");

    String xml = r.junitXml();
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    assertThat(d.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue())
        .contains("rule noise 95%").contains("SE ").contains("seeds 2").contains("examples 1000");
  }
}
