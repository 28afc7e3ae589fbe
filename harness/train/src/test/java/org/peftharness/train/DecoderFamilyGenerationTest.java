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

/**
 * Every decoder family decodes the same tokens with the key/value cache as by recomputing the
 * whole sequence each step, on a left-padded batch, for 24 new tokens: far past the fixtures'
 * sliding window of 4, so a cache that kept attending to keys the window drops would diverge.
 */
class DecoderFamilyGenerationTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2"})
  void cachedGenerationEqualsRecomputationOnALeftPaddedBatch(String name) {
    Path dir = SharedFiles.fixture(name);
    try (PretrainedModel pm = PretrainedModel.open(dir.toString());
        var g = (DecoderModel<TFloat32>) pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      var gen = new GreedyGenerator<>(g, ids -> pm.tokenizer().decode(ids, true));
      List<int[]> prompts = GreedyGeneratorTest.PROMPTS;
      var cached = gen.generate(prompts, new GreedyGenerator.Options(24, List.of(), -1, 3, true));
      var full = gen.generate(prompts, new GreedyGenerator.Options(24, List.of(), -1, 3, false));
      for (int i = 0; i < prompts.size(); i++) {
        assertThat(cached.get(i).tokens()).as("row " + i).hasSize(24).containsExactly(full.get(i).tokens());
      }
      var alone = gen.generate(List.of(prompts.get(1)), new GreedyGenerator.Options(24, List.of(), -1, 3, true));
      assertThat(alone.get(0).tokens()).containsExactly(cached.get(1).tokens());
    }
  }
}
