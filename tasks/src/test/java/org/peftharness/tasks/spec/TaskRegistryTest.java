package org.peftharness.tasks.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.tasks.score.Protocol;

class TaskRegistryTest {
  private final TaskRegistry registry = TaskRegistry.builtin();

  @Test
  void everyBuiltInTaskLoads() {
    assertThat(registry.names())
        .containsExactly(
            "gsm8k", "math", "math500", "boolq", "piqa", "siqa", "hellaswag", "winogrande", "arc-e", "arc-c", "obqa",
            "cola", "sst2", "mrpc", "stsb", "qqp", "mnli-m", "mnli-mm", "qnli", "rte", "synthetic-sentiment", "synthetic-contrast",
            "synthetic-arith");
    for (TaskSpec t : registry.all()) {
      assertThat(t.version()).isPositive();
      assertThat(t.metrics()).isNotEmpty();
      assertThat(t.file(Split.TRAIN)).isNotBlank();
      assertThat(t.file(Split.EVAL)).isNotBlank();
    }
  }

  @Test
  void includesMakeGlueTasksShortAndComplete() {
    TaskSpec cola = registry.get("cola");
    assertThat(cola.kind()).isEqualTo(TaskKind.CLASSIFICATION);
    assertThat(cola.readerName()).isEqualTo("glue-tsv");
    assertThat(cola.labelNames()).containsExactly("unacceptable", "acceptable");
    assertThat(cola.metrics()).extracting(m -> m.metric().id()).containsExactly("mcc", "accuracy");
    assertThat(registry.get("stsb").kind()).isEqualTo(TaskKind.REGRESSION);
    assertThat(registry.get("mnli-mm").file(Split.EVAL)).isEqualTo("glue/MNLI/dev_mismatched.tsv");
    assertThat(registry.get("mnli-m").numLabels()).isEqualTo(3);
  }

  @Test
  void generationTasksNameTheirProtocols() {
    assertThat(registry.get("gsm8k").protocols())
        .extracting(Protocol::name)
        .containsExactly("strict", "flexible", "llm-adapters", "loraga", "pissa", "lorasb-answer-is");
    assertThat(registry.get("math500").protocols()).extracting(Protocol::name).containsExactly("boxed", "boxed-numeric", "pissa-math");
    assertThat(registry.get("piqa").protocols()).extracting(Protocol::name).containsExactly("llm-adapters-options", "option-label-strict");
    assertThat(registry.get("synthetic-arith").generator()).isNotNull();
  }

  @Test
  void unknownNameSuggestsTheClosest() {
    assertThatThrownBy(() -> registry.get("gsm8"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("did you mean 'gsm8k'");
    assertThatThrownBy(() -> registry.get("mnli")).hasMessageContaining("mnli-m");
  }

  @Test
  void specErrorsNameFileLineAndKey() {
    String yaml = "name: x\nversion: 1\nkind: generation\nreader: gsm8k-jsonl\nfiles: {train: a, eval: b}\n"
        + "prompt: {template: alpaca, instruction_field: question}\nprotocols: [strict, strickt]\n"
        + "metrics:\n  - {name: accuracy, aggregation: mean, higher_is_better: true}\n";
    assertThatThrownBy(() -> TaskRegistry.parse(yaml, "x.yaml"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.source()).isEqualTo("x.yaml");
          assertThat(e.line()).isEqualTo(7);
          assertThat(e.field()).isEqualTo("protocol");
        });
    assertThatThrownBy(() -> TaskRegistry.parse(yaml.replace("version: 1", "versoin: 1"), "x.yaml"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.getMessage()).contains("did you mean 'version'");
        });
    assertThatThrownBy(() -> TaskRegistry.parse("name: [unclosed\n", "bad.yaml"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.line()).isPositive());
    assertThatThrownBy(() -> TaskRegistry.parse("name: x\ninclude: [{file: _glue.yaml}]\n", "inc.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("inc.yaml:2: include[0]: expected a non-empty text, got a mapping");
  }

  @Test
  void namesAreListed() {
    List<String> closest = DidYouMean.closest("sst-2", registry.names());
    assertThat(closest.get(0)).isEqualTo("sst2");
  }
}
