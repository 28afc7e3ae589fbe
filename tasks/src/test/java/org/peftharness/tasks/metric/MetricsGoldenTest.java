package org.peftharness.tasks.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.peftharness.testing.SharedFiles;

/** Metrics against ../shared/fixtures/method-init/metrics-golden.json (scikit-learn / SciPy values). */
class MetricsGoldenTest {
  private static final double TOL = 1e-9;

  private static JsonNode golden() throws IOException {
    return new ObjectMapper().readTree(SharedFiles.fixture("method-init/metrics-golden.json").toFile());
  }

  @Test
  void binaryClassification() throws IOException {
    JsonNode b = golden().get("binary");
    int[] gold = ints(b.get("labels"));
    int[] pred = ints(b.get("predictions"));
    assertThat(Metrics.accuracy(gold, pred)).isCloseTo(b.get("accuracy").asDouble(), within(TOL));
    assertThat(Metrics.f1(gold, pred, 1)).isCloseTo(b.get("f1_positive_class_1").asDouble(), within(TOL));
    assertThat(Metrics.matthews(gold, pred)).isCloseTo(b.get("matthews_corrcoef").asDouble(), within(TOL));
  }

  @Test
  void regression() throws IOException {
    JsonNode r = golden().get("regression");
    double[] gold = doubles(r.get("gold"));
    double[] pred = doubles(r.get("predictions"));
    assertThat(Metrics.pearson(gold, pred)).isCloseTo(r.get("pearson").asDouble(), within(TOL));
    assertThat(Metrics.spearman(gold, pred)).isCloseTo(r.get("spearman_tie_averaged_ranks").asDouble(), within(TOL));
  }

  @Test
  void edgeCasesFollowScikitLearn() {
    assertThat(Metrics.matthews(new int[] {1, 1, 1}, new int[] {1, 1, 1})).isZero();
    assertThat(Metrics.f1(new int[] {0, 0}, new int[] {0, 0}, 1)).isZero();
    assertThat(Metrics.averageRanks(new double[] {3, 1, 3, 2})).containsExactly(3.5, 1, 3.5, 2);
    assertThat(Metrics.matthews(new int[] {0, 1, 2, 0}, new int[] {0, 1, 2, 0})).isCloseTo(1.0, within(TOL));
  }

  private static int[] ints(JsonNode a) {
    int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asInt();
    }
    return v;
  }

  private static double[] doubles(JsonNode a) {
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).asDouble();
    }
    return v;
  }
}
