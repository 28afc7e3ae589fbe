package org.peftharness.results.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ExampleErrorTest {

  @Test
  void wilson_matchesNewcombesWorkedExamples() {
    // Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3: 81/263 -> 0.2553 to 0.3662,
    // 15/148 -> 0.0624 to 0.1605; full precision from the closed form with z = 1.959963984540054
    ExampleError a = ExampleError.binomial(81, 263);
    assertThat(a.low()).isCloseTo(0.2552885198782742, within(1e-12));
    assertThat(a.high()).isCloseTo(0.36620957698280004, within(1e-12));
    assertThat(a.value()).isCloseTo(81.0 / 263, within(1e-15));
    assertThat(a.se()).isCloseTo(Math.sqrt(81.0 / 263 * 182.0 / 263 / 263), within(1e-15));
    ExampleError b = ExampleError.binomial(15, 148);
    assertThat(b.low()).isCloseTo(0.0623863995307363, within(1e-12));
    assertThat(b.high()).isCloseTo(0.16048724172330803, within(1e-12));
  }

  @Test
  void wilson_staysInsideTheUnitInterval_atTheBounds() {
    // 0/10 -> 0 to 0.2775 (Newcombe's Table I row 0/10); the Wald interval would be the point [0, 0]
    ExampleError none = ExampleError.binomial(0, 10);
    assertThat(none.low()).isEqualTo(0);
    assertThat(none.high()).isCloseTo(0.2775327998628892, within(1e-12));
    assertThat(none.se()).isEqualTo(0);
    ExampleError all = ExampleError.binomial(10, 10);
    assertThat(all.high()).isLessThanOrEqualTo(1);
    assertThat(all.low()).isCloseTo(1 - 0.2775327998628892, within(1e-12));
  }
}
