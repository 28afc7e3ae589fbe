package org.peftharness.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeedStatsTest {
  private static final double EPS = 1e-9;

  @Test
  void tQuantiles_matchTables() {
    // two-sided 95% critical values (any statistics table / scipy.stats.t.ppf(0.975, df))
    assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.706204736174698, within(1e-9));
    assertThat(StudentT.quantile(0.975, 2)).isCloseTo(4.302652729749464, within(1e-9));
    assertThat(StudentT.quantile(0.975, 4)).isCloseTo(2.7764451051977934, within(1e-9));
    assertThat(StudentT.quantile(0.975, 30)).isCloseTo(2.0422724563012373, within(1e-9));
    assertThat(StudentT.quantile(0.025, 4)).isCloseTo(-2.7764451051977934, within(1e-9));
    assertThat(StudentT.cdf(0, 7)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void twoSeeds_handComputed() {
    // mean 0.82; deviations +-0.02 -> s = sqrt(2 * 0.0004 / 1) = 0.0282843; half = 12.7062 * s / sqrt(2) = 12.7062 * 0.02
    SeedStats s = SeedStats.of(0.80, 0.84);
    assertThat(s.n()).isEqualTo(2);
    assertThat(s.mean()).isCloseTo(0.82, within(EPS));
    assertThat(s.std()).isCloseTo(Math.sqrt(0.0008), within(EPS));
    assertThat(s.halfWidth()).isCloseTo(0.25412409472, within(1e-9));
    assertThat(s.ciLow()).isCloseTo(0.82 - 0.25412409472, within(1e-9));
    assertThat(s.median()).isCloseTo(0.82, within(EPS));
  }

  @Test
  void threeSeeds_handComputed() {
    // 1, 2, 3: mean 2, s = 1, half = 4.302653 / sqrt(3) = 2.484138
    SeedStats s = SeedStats.of(3, 1, 2);
    assertThat(s.mean()).isCloseTo(2, within(EPS));
    assertThat(s.std()).isCloseTo(1, within(EPS));
    assertThat(s.median()).isEqualTo(2);
    assertThat(s.ciLow()).isCloseTo(2 - 2.4841377118, within(1e-9));
    assertThat(s.ciHigh()).isCloseTo(2 + 2.4841377118, within(1e-9));
  }

  @Test
  void fiveSeeds_handComputed() {
    // 1..5: mean 3, s = sqrt(10 / 4) = 1.5811388, half = 2.7764451 * 1.5811388 / sqrt(5) = 2.7764451 * 0.7071068 = 1.9632432 (1.96324316148)
    SeedStats s = SeedStats.of(5, 4, 3, 2, 1);
    assertThat(s.mean()).isCloseTo(3, within(EPS));
    assertThat(s.std()).isCloseTo(Math.sqrt(2.5), within(EPS));
    assertThat(s.halfWidth()).isCloseTo(1.9632431615, within(1e-9));
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(5);
  }

  @Test
  void oneSeed_hasNoSpread_notZeroSpread() {
    SeedStats s = SeedStats.of(0.5);
    assertThat(s.hasSpread()).isFalse();
    assertThat(s.std()).isNaN();
    assertThat(s.ciLow()).isNaN();
    assertThat(s.ciOverlaps(SeedStats.of(0.5, 0.6))).isFalse();
  }

  @Test
  void ciOverlap() {
    assertThat(SeedStats.of(0.80, 0.84).ciOverlaps(SeedStats.of(0.90, 0.92))).isTrue(); // n=2 CIs are wide
    assertThat(SeedStats.of(1, 1.1, 1.2).ciOverlaps(SeedStats.of(5, 5.1, 5.2))).isFalse();
  }

  @Test
  void boundedInterval_isCutAtTheMetricsRange() {
    // 0.80, 0.84: t-interval [0.5659, 1.0741]; an accuracy cannot pass 1
    SeedStats s = SeedStats.of(MetricRange.UNIT, 0.80, 0.84);
    assertThat(s.ciLow()).isCloseTo(0.82 - 0.25412409472, within(1e-9));
    assertThat(s.ciHigh()).isEqualTo(1.0);
    assertThat(s.mean()).isCloseTo(0.82, within(EPS));
    // the example: two seeds whose interval was [-0.15, 1.47]
    SeedStats wide = SeedStats.of(MetricRange.UNIT, 0.60, 0.72);
    assertThat(wide.ciLow()).isEqualTo(0.0);
    assertThat(wide.ciHigh()).isEqualTo(1.0);
    SeedStats corr = SeedStats.of(MetricRange.CORRELATION, -0.9, -0.5);
    assertThat(corr.ciLow()).isEqualTo(-1.0);
    assertThat(MetricRange.of("pearson")).isEqualTo(MetricRange.CORRELATION);
    assertThat(MetricRange.of("accuracy")).isEqualTo(MetricRange.UNIT);
    assertThat(MetricRange.of("loss")).isEqualTo(MetricRange.UNBOUNDED);
  }
}
