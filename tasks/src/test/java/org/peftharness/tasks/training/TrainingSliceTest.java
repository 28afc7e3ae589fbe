package org.peftharness.tasks.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.peftharness.tasks.read.Example;

class TrainingSliceTest {
  private static List<Example> examples(int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example(i, i + 1, Map.of("query", "q" + i), "r" + i, Example.Gold.none()));
    }
    return List.copyOf(out);
  }

  private static List<Integer> indices(List<Example> ex) {
    return ex.stream().map(Example::index).toList();
  }

  @Test
  void withoutAShuffleItIsTheFirstNInFileOrder() {
    List<Example> all = examples(5);
    assertThat(indices(TrainingSlice.select(all, 0, null))).containsExactly(0, 1, 2, 3, 4);
    assertThat(indices(TrainingSlice.select(all, 2, null))).containsExactly(0, 1);
    assertThat(indices(TrainingSlice.select(all, 5, null))).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void theShuffleIsAFisherYatesPermutationDrawnFromTheGivenStream() {
    List<Example> all = examples(6);
    // Fisher-Yates by hand with the same draws: for i = n-1 .. 1 swap i with nextInt(i + 1)
    SplittableRandom draws = new SplittableRandom(7);
    int[] expected = {0, 1, 2, 3, 4, 5};
    for (int i = expected.length - 1; i > 0; i--) {
      int j = draws.nextInt(i + 1);
      int t = expected[i];
      expected[i] = expected[j];
      expected[j] = t;
    }
    List<Integer> shuffled = indices(TrainingSlice.select(all, 0, new SplittableRandom(7)));
    assertThat(shuffled).containsExactly(expected[0], expected[1], expected[2], expected[3], expected[4], expected[5]);
    assertThat(indices(TrainingSlice.select(all, 3, new SplittableRandom(7)))).isEqualTo(shuffled.subList(0, 3));
    assertThat(indices(examples(20))).isNotEqualTo(indices(TrainingSlice.select(examples(20), 0, new SplittableRandom(7))));
    assertThat(indices(all)).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void aSliceLargerThanTheSetOrNegativeIsRefused() {
    assertThatThrownBy(() -> TrainingSlice.select(examples(3), 4, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first 4 of 3");
    assertThatThrownBy(() -> TrainingSlice.select(examples(3), -1, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
