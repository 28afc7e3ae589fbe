package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

class GreedyGeneratorTest {
  static final List<int[]> PROMPTS = List.of(new int[] {1, 40, 41, 42, 43, 44, 45}, new int[] {1, 50},
      new int[] {1, 60, 61, 62}, new int[] {1, 70, 71, 72, 73});

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama-gqa-tied"})
  void cachedGenerationGivesExactlyTheTokensOfFullRecomputation(String name) {
    Path dir = SharedFiles.fixture(name);
    try (PretrainedModel pm = PretrainedModel.open(dir.toString());
        var g = (DecoderModel<TFloat32>) pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      var gen = new GreedyGenerator<>(g, ids -> pm.tokenizer().decode(ids, true));
      var cached = gen.generate(PROMPTS, new GreedyGenerator.Options(24, List.of(), -1, 3, true));
      var full = gen.generate(PROMPTS, new GreedyGenerator.Options(24, List.of(), -1, 3, false));
      for (int i = 0; i < PROMPTS.size(); i++) {
        assertThat(cached.get(i).tokens()).hasSize(24).containsExactly(full.get(i).tokens());
        assertThat(cached.get(i).reason()).isEqualTo(GreedyGenerator.FinishReason.LENGTH);
        assertThat(cached.get(i).text()).isEqualTo(full.get(i).text());
      }
      // text in, text out: the same as ids through the tokenizer
      var text = GreedyGenerator.generateText(g, pm.tokenizer(), List.of("Natalia sold", "Then"),
          new GreedyGenerator.Options(8, List.of(), -1, 3, true));
      var viaIds = gen.generate(List.of(pm.tokenizer().encode("Natalia sold").ids(), pm.tokenizer().encode("Then").ids()),
          new GreedyGenerator.Options(8, List.of(), -1, 3, true));
      assertThat(text.get(1).tokens()).containsExactly(viaIds.get(1).tokens());
      assertThat(text.get(0).text()).isEqualTo(viaIds.get(0).text());
      // left padding in a batch does not change a prompt's continuation
      var alone = gen.generate(List.of(PROMPTS.get(1)), new GreedyGenerator.Options(24, List.of(), -1, 3, true));
      assertThat(alone.get(0).tokens()).containsExactly(cached.get(1).tokens());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama"})
  void stopStringsAndEosEndSequencesEarly(String name) {
    Path dir = SharedFiles.fixture(name);
    try (PretrainedModel pm = PretrainedModel.open(dir.toString());
        var g = (DecoderModel<TFloat32>) pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      var gen = new GreedyGenerator<>(g, ids -> pm.tokenizer().decode(ids, true));
      var free = gen.generate(PROMPTS, new GreedyGenerator.Options(16, List.of(), -1, 3, true));
      GreedyGenerator.Generation first = free.get(0);
      // a stop string taken from the middle of the free continuation
      String stop = first.text().substring(5, 7);
      int cut = first.text().indexOf(stop);
      var stopped = gen.generate(PROMPTS, new GreedyGenerator.Options(16, List.of(stop), -1, 3, true));
      assertThat(stopped.get(0).reason()).isEqualTo(GreedyGenerator.FinishReason.STOP_STRING);
      assertThat(stopped.get(0).text()).isEqualTo(first.text().substring(0, cut));
      assertThat(stopped.get(0).tokens().length).isLessThan(16);
      // the other rows are unaffected by one row stopping
      for (int i = 1; i < PROMPTS.size(); i++) {
        if (stopped.get(i).reason() == GreedyGenerator.FinishReason.LENGTH) {
          assertThat(stopped.get(i).tokens()).containsExactly(free.get(i).tokens());
        }
      }
      // treating the third generated token of row 0 as EOS ends that row there
      int eos = first.tokens()[2];
      var eosRun = gen.generate(List.of(PROMPTS.get(0)), new GreedyGenerator.Options(16, List.of(), eos, 3, true));
      int firstEos = 0;
      while (first.tokens()[firstEos] != eos) {
        firstEos++;
      }
      assertThat(eosRun.get(0).reason()).isEqualTo(GreedyGenerator.FinishReason.EOS);
      assertThat(eosRun.get(0).tokens()).hasSize(firstEos + 1);
    }
  }
}
