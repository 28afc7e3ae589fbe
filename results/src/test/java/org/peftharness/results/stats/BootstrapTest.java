package org.peftharness.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BootstrapTest {

  static ResampledMetric accuracy(boolean[] correct) {
    return positions -> {
      int ok = 0;
      for (int p : positions) {
        ok += correct[p] ? 1 : 0;
      }
      return (double) ok / positions.length;
    };
  }

  static boolean[] firstCorrect(int n, int correct) {
    boolean[] c = new boolean[n];
    for (int i = 0; i < correct; i++) {
      c[i] = true;
    }
    return c;
  }

  @Test
  void bootstrapSeOfAProportion_isCloseToTheBinomialSe() {
    // the bootstrap SE of a mean estimates sqrt(p(1 - p) / n) = sqrt(0.8 * 0.2 / 1000) = 0.012649
    ExampleError e = Bootstrap.error(1000, accuracy(firstCorrect(1000, 800)), MetricRange.UNIT);
    assertThat(e.value()).isEqualTo(0.8);
    assertThat(e.se()).isCloseTo(0.012649, within(0.0013));
    assertThat(e.low()).isCloseTo(0.8 - 1.96 * 0.012649, within(0.004));
    assertThat(e.high()).isCloseTo(0.8 + 1.96 * 0.012649, within(0.004));
    assertThat(e.method()).isEqualTo("bootstrap over examples, 1000 resamples, seed 20260801");
  }

  @Test
  void sameInputs_sameNumbers() {
    ResampledMetric m = accuracy(firstCorrect(200, 130));
    assertThat(Bootstrap.error(200, m, MetricRange.UNIT)).isEqualTo(Bootstrap.error(200, m, MetricRange.UNIT));
  }

  @Test
  void intervalIsCutAtTheMetricsRange() {
    // a metric that sits at its upper bound on every resample
    ExampleError e = Bootstrap.error(50, positions -> 1.0, MetricRange.CORRELATION);
    assertThat(e.high()).isEqualTo(1.0);
    assertThat(e.se()).isEqualTo(0.0);
  }

  @Test
  void undefinedResamples_areLeftOutAndSaid() {
    // NaN on resamples containing position 0 (about 1 - (1 - 1/20)^20 = 64% of them)
    ExampleError e = Bootstrap.error(20, positions -> {
      for (int p : positions) {
        if (p == 0) {
          return Double.NaN;
        }
      }
      return 0.5;
    }, MetricRange.CORRELATION);
    assertThat(e.method()).contains("undefined left out");
    assertThat(e.se()).isEqualTo(0.0);
  }

  @Test
  void percentile_isNumpysDefault() {
    // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) = [1.075, 3.925]
    double[] v = {1, 2, 3, 4};
    assertThat(Bootstrap.percentile(v, 0.025)).isCloseTo(1.075, within(1e-12));
    assertThat(Bootstrap.percentile(v, 0.975)).isCloseTo(3.925, within(1e-12));
    assertThat(Bootstrap.percentile(new double[] {1, 2, 3, 4, 5}, 0.5)).isEqualTo(3.0);
  }
}
