package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.peftharness.grid.TrainSection;
import org.peftharness.results.sweep.TrainSettings;

/**
 * The report tells a sweep point's train settings (tuned on validation) from its method options
 * (variants shown side by side) by name, from a copy of the grid's train keys: reports reads result
 * files and does not depend on the grid. This module sees both, so it holds the copy to the original.
 */
class TrainSettingNamesTest {
  @Test
  void theReportsTrainSettings_areTheGridsTrainSection() {
    Set<String> both = new HashSet<>(TrainSettings.NAMES);
    both.addAll(TrainSettings.VARIANTS);
    assertThat(TrainSettings.NAMES).doesNotContainAnyElementsOf(TrainSettings.VARIANTS);
    assertThat(both).containsExactlyInAnyOrderElementsOf(TrainSection.SECTION.settings().keySet());
  }
}
