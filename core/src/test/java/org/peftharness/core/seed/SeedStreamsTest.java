package org.peftharness.core.seed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeedStreamsTest {
  @Test
  void streamSeedsDependOnRootAndNameOnlyNotOnOrder() {
    SeedStreams a = new SeedStreams(42);
    long init = a.seed(SeedStreams.INIT);
    long data = a.seed(SeedStreams.DATA_ORDER);
    SeedStreams b = new SeedStreams(42);
    assertThat(b.seed(SeedStreams.DATA_ORDER)).isEqualTo(data);
    assertThat(b.seed(SeedStreams.INIT)).isEqualTo(init);
    assertThat(init).isNotEqualTo(data);
    assertThat(new SeedStreams(43).seed(SeedStreams.INIT)).isNotEqualTo(init);
    assertThat(a.derivedSeeds()).containsOnlyKeys(SeedStreams.INIT, SeedStreams.DATA_ORDER);
  }

  @Test
  void generatorsOfAStreamRepeatAndSubStreamsDiffer() {
    SeedStreams s = new SeedStreams(7);
    assertThat(s.random("init").nextLong()).isEqualTo(s.random("init").nextLong());
    assertThat(s.random("init", "q").nextLong()).isNotEqualTo(s.random("init", "v").nextLong());
  }
}
