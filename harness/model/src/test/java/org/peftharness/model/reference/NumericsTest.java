package org.peftharness.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference's erf (Java has none) against C's erf, on both sides of the switch from series to continued fraction. */
class NumericsTest {

  @ParameterizedTest
  @CsvSource({
      "0.1, 0.1124629160182849", "0.5, 0.5204998778130465", "1, 0.8427007929497149", "1.5, 0.9661051464753108",
      "1.9999, 0.9953201979070294", "2, 0.9953222650189527", "2.4999, 0.9995928300996666", "2.5, 0.999593047982555", "3, 0.9999779095030014",
      "4, 0.9999999845827421", "-1.5, -0.9661051464753108"})
  void erfMatchesTheCLibraryTo1e15(double x, double expected) {
    assertThat(Numerics.erf(x)).isCloseTo(expected, within(1e-15));
  }
}
