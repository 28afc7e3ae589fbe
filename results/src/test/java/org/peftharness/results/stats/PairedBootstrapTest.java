package org.peftharness.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.peftharness.results.stats.BootstrapTest.accuracy;
import static org.peftharness.results.stats.BootstrapTest.firstCorrect;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.results.stats.PairedBootstrap.SeedPair;
import org.peftharness.results.stats.PairedVerdict.Verdict;

class PairedBootstrapTest {

  @Test
  void identicalMethods_cannotTell() {
    ResampledMetric same = accuracy(firstCorrect(500, 400));
    PairedVerdict v = PairedBootstrap.compare(500, List.of(new SeedPair(1, same, same), new SeedPair(2, same, same)), true);
    assertThat(v.verdict()).isEqualTo(Verdict.CANNOT_TELL);
    assertThat(v.difference()).isEqualTo(0.0);
    assertThat(v.low()).isEqualTo(0.0);
    assertThat(v.high()).isEqualTo(0.0);
    assertThat(v.sentence()).isEqualTo("cannot tell at 95% (2 seeds × 500 examples)");
  }

  @Test
  void clearlyBetterMethod_isBetter_andTheOtherWorse() {
    // A right on 900 of 1000, B on 800 of them (B's right ones a subset of A's): 100 discordant pairs, all A's
    ResampledMetric a = accuracy(firstCorrect(1000, 900));
    ResampledMetric b = accuracy(firstCorrect(1000, 800));
    PairedVerdict v = PairedBootstrap.compare(1000, List.of(new SeedPair(1, a, b)), true);
    assertThat(v.verdict()).isEqualTo(Verdict.BETTER);
    assertThat(v.difference()).isCloseTo(0.1, within(1e-12));
    assertThat(v.low()).isGreaterThan(0.07);
    assertThat(v.sentence()).isEqualTo("better (1 seed × 1000 examples)");
    assertThat(PairedBootstrap.compare(1000, List.of(new SeedPair(1, b, a)), true).verdict()).isEqualTo(Verdict.WORSE);
    // for a loss, the larger number is the worse one
    assertThat(PairedBootstrap.compare(1000, List.of(new SeedPair(1, a, b)), false).verdict()).isEqualTo(Verdict.WORSE);
  }

  @Test
  void aFewDiscordantExamples_cannotTell() {
    // A and B differ on 4 of 1000 examples, 3 of them A's: McNemar p = 0.625, far from significant
    boolean[] ca = firstCorrect(1000, 800);
    boolean[] cb = firstCorrect(1000, 800);
    ca[800] = true;
    ca[801] = true;
    cb[0] = false;
    ca[802] = true;
    cb[802] = true;
    cb[803] = true;
    PairedVerdict v = PairedBootstrap.compare(1000, List.of(new SeedPair(1, accuracy(ca), accuracy(cb))), true);
    assertThat(McNemar.of(ca, cb).p()).isCloseTo(0.625, within(1e-12));
    assertThat(v.verdict()).isEqualTo(Verdict.CANNOT_TELL);
    assertThat(v.low()).isLessThan(0).as("interval straddles zero");
    assertThat(v.high()).isGreaterThan(0);
  }

  @Test
  void seedsAreAveraged_onTheSameResample() {
    // seed 1: A 0.1 ahead; seed 2: B 0.1 ahead, on the same examples: the mean difference is exactly 0 on every resample
    ResampledMetric hi = accuracy(firstCorrect(300, 270));
    ResampledMetric lo = accuracy(firstCorrect(300, 240));
    PairedVerdict v = PairedBootstrap.compare(300, List.of(new SeedPair(1, hi, lo), new SeedPair(2, lo, hi)), true);
    assertThat(v.difference()).isCloseTo(0, within(1e-15));
    assertThat(v.verdict()).isEqualTo(Verdict.CANNOT_TELL);
    assertThat(v.seeds()).isEqualTo(2);
  }
}
