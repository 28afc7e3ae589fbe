package org.peftharness.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTest {

  @Test
  void exactPValues_matchTheBinomialTest() {
    // b = 10, c = 2: 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096 = 0.03857421875
    // (scipy.stats.binomtest(2, 12).pvalue = 0.03857421875)
    assertThat(McNemar.exact(10, 2).p()).isCloseTo(0.03857421875, within(1e-12));
    assertThat(McNemar.exact(2, 10).p()).isCloseTo(0.03857421875, within(1e-12));
    // 0 of 5 discordant pairs go B's way: 2 / 32 (binomtest(0, 5) = 0.0625)
    assertThat(McNemar.exact(5, 0).p()).isCloseTo(0.0625, within(1e-12));
    // 30 against 70: binomtest(30, 100).pvalue = 7.85013964559367e-05
    assertThat(McNemar.exact(30, 70).p()).isCloseTo(7.85013964559367e-05, within(1e-15));
  }

  @Test
  void balancedOrNoDiscordance_isPOne() {
    assertThat(McNemar.exact(7, 7).p()).isEqualTo(1.0);
    assertThat(McNemar.exact(0, 0).p()).isEqualTo(1.0);
  }

  @Test
  void countsDiscordantExamples() {
    boolean[] a = {true, true, true, false, false, true};
    boolean[] b = {true, false, false, true, false, true};
    McNemar m = McNemar.of(a, b);
    assertThat(m.b()).isEqualTo(2);
    assertThat(m.c()).isEqualTo(1);
    assertThat(m.p()).isEqualTo(1.0); // 2 * P(X <= 1 | n = 3) = 2 * 4/8
  }
}
