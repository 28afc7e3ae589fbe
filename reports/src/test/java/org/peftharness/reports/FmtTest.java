package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.reports.ReportModel.ExampleLevel;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.results.stats.SeedStats;

class FmtTest {
  private static Row row(boolean best, double... values) {
    return new Row("m", 8, "", 1L, SeedStats.of(values), List.of(), 0, 0, best, false, false,
        new ExampleLevel(List.of(), List.of(), List.of(), List.of()), null);
  }

  @Test
  void theNoteSaysWhichSideHasTheSingleSeed() {
    Row threeSeeds = row(false, 0.70, 0.72, 0.71);
    Row oneSeed = row(false, 0.70);
    // a row of three seeds against a best of one: the best's noise is what is unknown
    assertThat(Fmt.note(threeSeeds, row(true, 0.80))).isEqualTo("the best has one seed: noise unknown");
    assertThat(Fmt.note(oneSeed, row(true, 0.80, 0.81, 0.79))).isEqualTo("one seed: noise unknown");
    assertThat(Fmt.note(oneSeed, row(true, 0.80))).isEqualTo("one seed: noise unknown");
    assertThat(Fmt.note(threeSeeds, row(true, 0.80, 0.81, 0.79))).isEmpty();
    assertThat(Fmt.note(row(true, 0.80), null)).isEqualTo("best");
  }
}
