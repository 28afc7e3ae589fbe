package org.peftharness.ci.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.results.stats.ExampleError;

class NormalTest {
  @Test
  void textbookValues() {
    assertThat(Normal.cdf(0)).isEqualTo(0.5);
    assertThat(Normal.cdf(1)).isCloseTo(0.8413447460685429, within(1e-15));
    assertThat(Normal.cdf(-1.959963984540054)).isCloseTo(0.025, within(1e-15));
    assertThat(Normal.quantile(0.975)).isCloseTo(ExampleError.Z95, within(1e-13));
    assertThat(Normal.quantile(0.995)).isCloseTo(2.5758293035489004, within(1e-13));
    assertThat(Normal.quantile(0.95)).isCloseTo(1.6448536269514722, within(1e-13));
    assertThat(Normal.quantile(0.025)).isCloseTo(-ExampleError.Z95, within(1e-13));
  }

  @Test
  void welchDf_isInfiniteWithNothingEstimated_andTheTextbookFormulaOtherwise() {
    assertThat(NoiseBand.welchDf(1e-4, List.of())).isInfinite();
    // two estimated variances 1 (df 4) and 2 (df 9): 3^2 / (1/4 + 4/9)
    assertThat(NoiseBand.welchDf(3, List.of(new double[] {1, 4}, new double[] {2, 9}))).isCloseTo(9 / (0.25 + 4.0 / 9),
        within(1e-12));
  }

  @Test
  void percentLabels() {
    assertThat(NoiseBand.percent(0.95)).isEqualTo("95%");
    assertThat(NoiseBand.percent(0.995)).isEqualTo("99.5%");
  }
}
