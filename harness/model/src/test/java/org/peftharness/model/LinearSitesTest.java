package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/** The sites counted from config.json alone are exactly the ones the graphs build. */
class LinearSitesTest {
  @Test
  void configSitesEqualGraphSitesForEncoderAndDecoder() {
    for (String spec : List.of(PretrainedModel.MINILM, SharedFiles.fixture("tiny-llama-gqa-tied").toString())) {
      try (PretrainedModel m = PretrainedModel.open(spec); var g = m.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
        List<LinearSite> fromConfig = LinearSites.of(PretrainedModel.readConfig(spec));
        assertThat(fromConfig).containsExactlyElementsOf(g.linearSites().values());
      }
    }
  }
}
