package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/** tf.gradients of the full training losses against central finite differences, in float64. */
class GradientCheckTest {
  static final double TOL = 1e-6;

  @TempDir Path dir;

  static Map<String, Variable<TFloat64>> all(GraphModel<TFloat64> g) {
    Map<String, Variable<TFloat64>> vars = new LinkedHashMap<>();
    g.parameters().forEach((k, p) -> vars.put(k, p.trainable()));
    return vars;
  }

  @Test
  void bertClassifierWithPaddingAndDropoutMatchesFiniteDifferences() {
    Path m = TinyModels.encoder(dir, "bert", 2, 0.1, 0.1, true, 3);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 3, new SeedStreams(7));
      assertThat(head.freshlyInitialised()).containsExactly("classifier.weight", "classifier.bias");
      assertThat(g.dropoutSites()).isEqualTo(1 + 2 * 3 + 1);
      Map<String, Variable<TFloat64>> vars = all(g);
      vars.putAll(head.variables());
      Batch batch = head.batch(List.of(new int[] {2, 5, 7, 9, 11, 3}, new int[] {2, 8, 3}, new int[] {2, 12, 13, 14, 3}), new int[] {0, 2, 1});
      Map<String, Double> report = new LinkedHashMap<>();
      GradientCheck check = new GradientCheck(g, head.loss(), vars, batch, true);
      double err = check.maxRelativeError(1e-5, 11, report);
      System.out.println("gradient check bert classifier (dropout on, padded): max rel err " + err + " over " + report.size() + " variables");
      assertThat(err).as(report.toString()).isLessThan(TOL);
      // padding is invisible: without dropout the padded batch's loss is the mean of the examples' own losses
      double together = new GradientCheck(g, head.loss(), vars, batch, false).lossValue();
      double a = new GradientCheck(g, head.loss(), vars, head.batch(List.of(new int[] {2, 5, 7, 9, 11, 3}), new int[] {0}), false).lossValue();
      double b = new GradientCheck(g, head.loss(), vars, head.batch(List.of(new int[] {2, 8, 3}), new int[] {2}), false).lossValue();
      double c = new GradientCheck(g, head.loss(), vars, head.batch(List.of(new int[] {2, 12, 13, 14, 3}), new int[] {1}), false).lossValue();
      assertThat(Math.abs(together - (a + b + c) / 3)).isLessThan(1e-12);
    }
  }

  @Test
  void robertaRegressionHeadMatchesFiniteDifferences() {
    Path m = TinyModels.encoder(dir, "roberta", 1, 0.0, 0.0, false, 4);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 1, new SeedStreams(7));
      assertThat(head.variables()).containsOnlyKeys("classifier.dense.weight", "classifier.dense.bias",
          "classifier.out_proj.weight", "classifier.out_proj.bias");
      Map<String, Variable<TFloat64>> vars = all(g);
      vars.putAll(head.variables());
      Batch batch = head.batch(List.of(new int[] {0, 5, 7, 2}, new int[] {0, 8, 9, 10, 11, 2}), new float[] {0.5f, 3.25f});
      Map<String, Double> report = new LinkedHashMap<>();
      double err = new GradientCheck(g, head.loss(), vars, batch, false).maxRelativeError(1e-5, 12, report);
      System.out.println("gradient check roberta regression: max rel err " + err);
      assertThat(err).as(report.toString()).isLessThan(TOL);
    }
  }

  @Test
  void causalLmLossWithMaskedPromptsAndPaddingMatchesFiniteDifferences() {
    Path fixture = SharedFiles.fixture("tiny-llama-gqa-tied");
    try (PretrainedModel pm = PretrainedModel.open(fixture.toString());
        var g = (DecoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      CausalLmLoss<TFloat64> lm = new CausalLmLoss<>(g);
      Batch batch = lm.batch(List.of(new int[] {1, 40, 41, 42}, new int[] {1, 50}),
          List.of(new int[] {60, 61, 2}, new int[] {70, 71, 72, 73, 74, 2}), false);
      Map<String, Double> report = new LinkedHashMap<>();
      double err = new GradientCheck(g, lm.loss(), all(g), batch, true).maxRelativeError(1e-5, 13, report);
      System.out.println("gradient check causal LM (masked prompts, padding): max rel err " + err);
      assertThat(err).as(report.toString()).isLessThan(TOL);
    }
  }
}
