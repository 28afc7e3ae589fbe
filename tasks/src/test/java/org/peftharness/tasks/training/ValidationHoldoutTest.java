package org.peftharness.tasks.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.tasks.read.Example;

class ValidationHoldoutTest {
  static List<Example> examples(int n) {
    return IntStream.range(0, n).mapToObj(i -> new Example(i, i + 2, Map.of("text", "text " + i), null, Example.Gold.label(i % 2)))
        .toList();
  }

  @Test
  void holdsOutExactlyTheSizeAndTrainsOnTheRestBothInFileOrder() {
    List<Example> all = examples(100);
    ValidationHoldout h = ValidationHoldout.of("rte", all, 20);
    assertThat(h.validation()).hasSize(20);
    assertThat(h.train()).hasSize(80);
    Set<Integer> seen = new HashSet<>();
    h.validation().forEach(e -> seen.add(e.index()));
    h.train().forEach(e -> assertThat(seen.add(e.index())).as("held out and trained on: %s", e.index()).isTrue());
    assertThat(seen).hasSize(100);
    assertThat(h.indices()).isSorted().containsExactlyElementsOf(h.validation().stream().map(Example::index).toList());
    assertThat(h.train().stream().map(Example::index).toList()).isSorted();
    // a random draw, not the file's head or tail
    assertThat(h.indices()).isNotEqualTo(IntStream.range(0, 20).boxed().toList())
        .isNotEqualTo(IntStream.range(80, 100).boxed().toList());
  }

  @Test
  void theDrawIsTheSameOnEveryCallAndDependsOnlyOnTaskRecordsAndSize() {
    List<Example> all = examples(500);
    ValidationHoldout a = ValidationHoldout.of("rte", all, 50);
    ValidationHoldout b = ValidationHoldout.of("rte", new ArrayList<>(all), 50);
    assertThat(b.indices()).isEqualTo(a.indices());
    assertThat(b.seed()).isEqualTo(a.seed());
    assertThat(ValidationHoldout.of("mrpc", all, 50).indices()).isNotEqualTo(a.indices());
    // the seed is stream validation/<task> of root 0: recorded, so anyone can draw it again
    assertThat(a.seed()).isEqualTo(new SeedStreams(0).seed("validation/rte"));
  }

  @Test
  void refusesToLeaveNothingToTrainOn() {
    assertThatThrownBy(() -> ValidationHoldout.of("rte", examples(10), 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot hold 10 of 10 examples out");
  }
}
