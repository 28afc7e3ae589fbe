package org.peftharness.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.ci.baseline.BaselineFile;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.ci.baseline.Rule;
import org.peftharness.core.InvalidInputException;

/** The baseline keys of the noise rule: rule, seeds, n; and a tolerance that only the tolerance rule requires. */
class BaselineNoiseKeysTest {
  private static String file(String entry) {
    return """
        baseline: b
        defaults: {model: minilm, task: t, source: s, verified: true}
        entries:
          - {method: lora, rank: 8, %s}
        """.formatted(entry);
  }

  @Test
  void noiseEntries_needNoTolerance_andCarryTheReferencesNoise() {
    BaselineFile f = Baselines.parse(file("metric: accuracy, value: 0.9, rule: noise, std: 0.01, seeds: 3, n: 277"), "b.yaml");
    BaselineEntry e = f.entries().get(0);
    assertThat(e.rule()).isEqualTo(Rule.NOISE);
    assertThat(e.hasTolerance()).isFalse();
    assertThat(e.seeds()).isEqualTo(3);
    assertThat(e.examples()).isEqualTo(277);

    BaselineEntry old = Baselines.parse(file("metric: accuracy, value: 0.9, tolerance: {absolute: 0.01}"), "b.yaml")
        .entries().get(0);
    assertThat(old.rule()).isEqualTo(Rule.TOLERANCE);
    assertThat(old.hasTolerance()).isTrue();
    assertThat(old.seeds()).isNull();
    assertThat(old.examples()).isNull();
  }

  @Test
  void ruleInDefaults_appliesToEveryEntry() {
    BaselineFile f = Baselines.parse("""
        baseline: b
        defaults: {model: minilm, task: t, metric: accuracy, source: s, verified: true, rule: noise, seeds: 3}
        entries:
          - {method: lora, rank: 8, value: 0.9, std: 0.01}
          - {method: full, value: 0.92, rule: tolerance, tolerance: {stds: 2}}
        """, "b.yaml");
    assertThat(f.entries()).extracting(BaselineEntry::rule).containsExactly(Rule.NOISE, Rule.TOLERANCE);
    assertThat(f.entries()).extracting(BaselineEntry::seeds).containsExactly(3, 3);
  }

  private static InvalidInputException fault(String entry) {
    try {
      Baselines.parse(file(entry), "bad.yaml");
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("no fault for " + entry);
  }

  @Test
  void badKeys_nameLineAndField() {
    InvalidInputException rule = fault("metric: accuracy, value: 0.9, rule: noize");
    assertThat(rule.field()).isEqualTo("entries[0].rule");
    assertThat(rule.line()).isEqualTo(4);
    assertThat(rule.problem()).containsPattern("did you mean '?noise'?");

    InvalidInputException n = fault("metric: mcc, value: 0.6, rule: noise, n: 1043");
    assertThat(n.field()).isEqualTo("entries[0].n");
    assertThat(n.problem()).contains("only an accuracy").contains("mcc");

    InvalidInputException seeds = fault("metric: accuracy, value: 0.9, rule: noise, std: 0.01, seeds: 1");
    assertThat(seeds.field()).isEqualTo("entries[0].seeds");
    assertThat(seeds.problem()).contains("at least 2");

    assertThat(fault("metric: accuracy, value: 0.9, rule: noise, n: 0").problem()).contains("positive integer");

    InvalidInputException tolerance = fault("metric: accuracy, value: 0.9");
    assertThat(tolerance.field()).isEqualTo("entries[0].tolerance");
    assertThat(tolerance.problem()).contains("required key is missing");

    assertThatThrownBy(() -> Baselines.parse(file("metric: accuracy, value: 0.9, rule: noise, tolerance: {}"), "bad.yaml"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs absolute");
  }
}
