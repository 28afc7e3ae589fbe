package org.peftharness.tasks.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.read.LlmAdaptersReader;
import org.peftharness.tasks.read.MetaMathReader;
import org.peftharness.testing.SharedFiles;

class TrainingSetRegistryTest {
  private static final TrainingSetRegistry SETS = TrainingSetRegistry.builtin();

  @Test
  void theBuiltInSets() {
    assertThat(SETS.names()).containsExactly("metamathqa", "commonsense_170k", "math_10k");
    assertThat(SETS.has("metamathqa")).isTrue();
    assertThat(SETS.has("gsm8k")).isFalse();
    TrainingSet mm = SETS.get("metamathqa");
    assertThat(mm.reader()).isInstanceOf(MetaMathReader.class);
    assertThat(mm.readerName()).isEqualTo(MetaMathReader.NAME);
    assertThat(mm.instructionField()).isEqualTo("query");
    assertThat(mm.templates()).containsExactly("alpaca", "pissa-metamath", "loraga-metamath");
    assertThat(mm.path(Path.of("data"))).isEqualTo(Path.of("data", "metamathqa", "MetaMathQA-395K.json"));
    TrainingSet cs = SETS.get("commonsense_170k");
    assertThat(cs.reader()).isInstanceOf(LlmAdaptersReader.class);
    // the same file the commonsense tasks train on
    assertThat(cs.file()).isEqualTo("llm_adapters_train/commonsense_170k.json");
    assertThat(cs.defaultTemplate()).isEqualTo("llm-adapters-train");
    assertThat(SETS.get("math_10k").file()).isEqualTo("llm_adapters_train/math_10k.json");
  }

  @Test
  void anUnknownSetIsAnInputErrorWithTheClosestNames() {
    assertThatThrownBy(() -> SETS.get("metamath", "grid.yaml", 4))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("grid.yaml")
        .hasMessageContaining("unknown training set 'metamath'")
        .hasMessageContaining("did you mean 'metamathqa'?")
        .hasMessageContaining("known: metamathqa, commonsense_170k, math_10k");
    assertThatThrownBy(() -> SETS.get("commonsense"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'commonsense_170k'");
    assertThatThrownBy(() -> SETS.get("zzzzzzzzzzzzzzzzzzzz"))
        .hasMessageContaining("known: metamathqa, commonsense_170k, math_10k");
  }

  @Test
  void aTemplateTheSetIsNotRenderedWithIsRefusedWithTheAllowedOnes() {
    TrainingSet mm = SETS.get("metamathqa");
    assertThatThrownBy(() -> mm.template("llm-adapters", "grid.yaml", 7))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.getMessage()).contains("grid.yaml").contains(":7").contains("template")
              .contains("its templates: alpaca, pissa-metamath, loraga-metamath");
        });
    assertThatThrownBy(() -> mm.template("lorasb-metamath", "grid.yaml", 7)).isInstanceOf(InvalidInputException.class);
    PromptTemplate t = mm.template("loraga-metamath", "grid.yaml", 7);
    assertThat(t.name()).isEqualTo("loraga-metamath");
    assertThat(mm.template(null, "grid.yaml", 7).name()).isEqualTo("alpaca");
  }

  @Test
  void aBrokenSetFileNamesFileLineAndKey() {
    String ok = """
        name: s
        version: 1
        reader: metamath-json
        file: s.json
        source: here
        prompt:
          instruction_field: query
          template: alpaca
          templates: [alpaca]
        """;
    assertThat(TrainingSetRegistry.parse(ok, "s.yaml").templates()).containsExactly("alpaca");
    assertThatThrownBy(() -> TrainingSetRegistry.parse(ok.replace("template: alpaca", "template: alpaca-cot"), "s.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("s.yaml:8")
        .hasMessageContaining("not one of the set's templates");
    assertThatThrownBy(() -> TrainingSetRegistry.parse(ok.replace("[alpaca]", "[alpaca, encoder]"), "s.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'encoder' is not one");
    assertThatThrownBy(() -> TrainingSetRegistry.parse(ok.replace("[alpaca]", "[alpaca, alpacca]"), "s.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown prompt template 'alpacca'");
    assertThatThrownBy(() -> TrainingSetRegistry.parse(ok.replace("reader: metamath-json", "reader: gsm8k-jsonl"), "s.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("reader");
    assertThatThrownBy(() -> TrainingSetRegistry.parse(ok + "shuffle: true\n", "s.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("shuffle");
  }

  @Test
  void theLlmAdaptersMathTrainingFileReadsAndRendersAsMath10k() {
    // math_data.json has math_10k.json's layout (../shared/data MANIFEST.md, "Not here" 2)
    Path f = SharedFiles.data("llm_adapters_train/math_data.json");
    TrainingSet set = SETS.get("math_10k");
    List<Example> ex = set.reader().read(f);
    assertThat(ex).hasSize(3260);
    PromptTemplate t = set.template(null, "test", 0);
    assertThat(ex).allSatisfy(e -> assertThat(t.render(e).prompt()).endsWith("### Response:\n" + " ".repeat(16)));
  }
}
