package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.peftharness.model.Architecture;
import org.peftharness.model.ArchitectureRegistry;

/** {@code harness ls models} lists what the architecture registry can read, nothing kept beside it; {@code ls training-sets} the sets a grid can train on. */
class LsCliTest {
  @Test
  void modelsListEveryRegisteredModelType() {
    CliRunner r = CliRunner.run("ls", "models");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("minilm");
    for (Architecture a : ArchitectureRegistry.BUILT_IN.all()) {
      assertThat(r.out()).contains(String.join(", ", a.modelTypes()) + " ").contains(a.summary());
    }
    assertThat(ArchitectureRegistry.BUILT_IN.modelTypes()).containsExactly("bert", "gemma", "gemma2", "llama", "mistral", "qwen2", "roberta",
        "xlm-roberta");
  }

  @Test
  void trainingSetsListTheirFilesAndTemplates() {
    CliRunner r = CliRunner.run("ls", "training-sets");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("metamathqa").contains("metamathqa/MetaMathQA-395K.json").contains("loraga-metamath")
        .contains("commonsense_170k").contains("llm-adapters-lorasb-train").contains("math_10k");
    assertThat(CliRunner.run("ls", "nothing").err()).contains("methods, tasks, training-sets, models");
  }
}
