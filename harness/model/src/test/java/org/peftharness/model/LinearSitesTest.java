package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/**
 * The sites and parameter count derived from an architecture's blueprint (config.json alone) are
 * exactly what its graph builds: the linear maps in the order {@code linear()} was called, and the
 * count of every variable the graph declares.
 */
class LinearSitesTest {
  @Test
  void configSitesEqualGraphSitesForEncoderAndDecoder() {
    for (String spec : List.of(PretrainedModel.MINILM, SharedFiles.fixture("tiny-llama-gqa-tied").toString(),
        SharedFiles.fixture("tiny-llama").toString(), SharedFiles.fixture("tiny-mistral-sw").toString(),
        SharedFiles.fixture("tiny-qwen2").toString(), SharedFiles.fixture("tiny-gemma").toString(),
        SharedFiles.fixture("tiny-gemma2").toString())) {
      try (PretrainedModel m = PretrainedModel.open(spec); var g = m.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
        ModelConfig config = PretrainedModel.readConfig(spec);
        List<LinearSite> derived = config.architecture().linearSites(config);
        assertThat(derived).containsExactlyElementsOf(g.linearSites().values());
        assertThat(ParameterAudit.modelParameters(config)).isEqualTo(declaredParameters(g));
        List<String> weightNames = new ArrayList<>();
        derived.forEach(s -> weightNames.add(s.weightName()));
        assertThat(g.parameters().keySet()).containsAll(weightNames);
      }
    }
  }

  private static long declaredParameters(GraphModel<TFloat32> g) {
    long total = 0;
    for (GraphModel.Parameter<TFloat32> p : g.parameters().values()) {
      long n = 1;
      for (long d : p.shape()) {
        n *= d;
      }
      total += n;
    }
    return total;
  }
}
