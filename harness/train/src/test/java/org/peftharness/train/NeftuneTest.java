package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * NEFTune (transformers' neftune_post_forward_hook): uniform noise in [-α/√(L·d), α/√(L·d)] on the
 * input embeddings, in training only, from a fed seed.
 */
class NeftuneTest {
  @TempDir Path dir;

  @Test
  void noiseIsUniformWithinAlphaOverRootLd() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.0, 0.0, false, 51);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      int b = 40;
      int l = 25;
      int d = 16;
      Operand<TFloat64> zeros = g.ops().zeros(g.ops().constant(new int[] {b, l, d}), TFloat64.class);
      double alpha = 5;
      double mag = alpha / Math.sqrt(l * d);
      double[] noise = run(g, g.neftune(zeros), true, alpha, 7);
      assertThat(noise).hasSize(b * l * d);
      int[] bins = new int[10];
      double sum = 0;
      double squares = 0;
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      for (double n : noise) {
        assertThat(Math.abs(n)).isLessThanOrEqualTo(mag);
        bins[Math.min(9, (int) ((n + mag) / (2 * mag) * 10))]++;
        sum += n;
        squares += n * n;
        max = Math.max(max, n);
        min = Math.min(min, n);
      }
      // the range is reached at both ends, the mean is 0 and the variance that of U(-mag, mag), mag²/3 (±4 standard errors)
      assertThat(max).isGreaterThan(0.999 * mag);
      assertThat(min).isLessThan(-0.999 * mag);
      assertThat(sum / noise.length).isCloseTo(0, offset(4 * mag / Math.sqrt(3.0 * noise.length)));
      assertThat(squares / noise.length).isCloseTo(mag * mag / 3, offset(0.03 * mag * mag / 3));
      for (int count : bins) {
        assertThat(count).isBetween(1440, 1760); // 1600 each, ±4 standard deviations
      }
    }
  }

  @Test
  void theMagnitudeIsComputedInTheGraphsTypeAsTorchDoes() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.0, 0.0, false, 52);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat32>) pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      Operand<TFloat32> zeros = g.ops().zeros(g.ops().constant(new int[] {8, 7, 3}), TFloat32.class);
      // float32 alpha / sqrt(float32(L·d)), as torch's alpha / torch.sqrt(torch.tensor(L·d))
      float mag = 0.1f / (float) Math.sqrt(21f);
      for (double n : run(g, g.neftune(zeros), true, 0.1, 3)) {
        assertThat(Math.abs(n)).isLessThanOrEqualTo(mag);
      }
    }
  }

  @Test
  void evaluationIsNoiseFreeAndTheSeedDecidesTheNoise() {
    Path m = TinyModels.encoder(dir, "bert", 2, 0.0, 0.0, false, 53);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      double[] plain = hidden(g, null, 0, 0);
      // not training: alpha and seed are fed, the hidden state is the plain one bit for bit
      assertThat(hidden(g, false, 5, 9)).containsExactly(plain);
      // training with alpha 0 (dropout is 0 in this model): no noise either
      assertThat(hidden(g, true, 0, 9)).containsExactly(plain);
      double[] noisy = hidden(g, true, 5, 9);
      assertThat(noisy).isNotEqualTo(plain);
      assertThat(hidden(g, true, 5, 9)).containsExactly(noisy);
      assertThat(hidden(g, true, 5, 10)).isNotEqualTo(noisy);
    }
  }

  @Test
  void trainingWithNeftuneIsBitReproducibleFromItsOwnStream() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.1, 0.1, true, 54);
    TrainConfig base = TrainConfig.defaults(1e-2).withSteps(4).withSchedule(Schedule.Kind.CONSTANT, 0, 0);
    List<Map<String, Long>> seeds = new ArrayList<>();
    double[] a = train(m, base.withNeftune(5), seeds);
    double[] b = train(m, base.withNeftune(5), seeds);
    double[] off = train(m, base, seeds);
    assertThat(b).containsExactly(a);
    assertThat(off).isNotEqualTo(a);
    assertThat(seeds.get(0)).containsKey(SeedStreams.NEFTUNE);
    // a run without NEFTune asks for no neftune seed, so its record is as before
    assertThat(seeds.get(2)).doesNotContainKey(SeedStreams.NEFTUNE).containsKeys(SeedStreams.DATA_ORDER, SeedStreams.DROPOUT);
  }

  private static double[] train(Path model, TrainConfig cfg, List<Map<String, Long>> seeds) {
    try (PretrainedModel pm = PretrainedModel.open(model.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(cfg.seed()));
      var vars = TrainerTest.all(g, head);
      List<Batch> data = List.of(head.batch(TrainerTest.SEQS.subList(0, 4), new int[] {0, 1, 1, 0}),
          head.batch(TrainerTest.SEQS.subList(4, 8), new int[] {1, 0, 0, 1}));
      TrainResult r = new Trainer<>(g, head.loss(), vars, cfg).train(data, TrainListener.NONE);
      assertThat(r.ok()).as(r.reason()).isTrue();
      seeds.add(r.seeds());
      return TrainerTest.snapshot(g, vars);
    }
  }

  private static double[] hidden(EncoderModel<TFloat64> g, Boolean training, double alpha, long seed) {
    int[][] ids = {{2, 5, 7, 9, 3}, {2, 8, 3, 0, 0}};
    int[][] types = new int[2][5];
    int[][] mask = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
    try (TInt32 i = HostTensors.ints(ids);
        TInt32 t = HostTensors.ints(types);
        TInt32 k = HostTensors.ints(mask)) {
      return run(g, g.hidden(), training, alpha, seed, r -> r.feed(g.inputIds(), i).feed(g.tokenTypeIds(), t)
          .feed(g.attentionMask(), k));
    }
  }

  private static <T extends TNumber> double[] run(EncoderModel<T> g, Operand<T> x,
      Boolean training, double alpha, long seed) {
    return run(g, x, training, alpha, seed, r -> r);
  }

  /** Fetches {@code x}; with {@code training} null nothing NEFTune reads is fed. */
  private static <T extends TNumber> double[] run(EncoderModel<T> g, Operand<T> x,
      Boolean training, double alpha, long seed, UnaryOperator<Session.Runner> inputs) {
    boolean f64 = g.nn().type == TFloat64.class;
    try (TBool t = TBool.scalarOf(training != null && training);
        Tensor a = f64 ? TFloat64.scalarOf(alpha) : TFloat32.scalarOf((float) alpha);
        TInt64 s = TInt64.vectorOf(seed, 0L)) {
      Session.Runner r = inputs.apply(g.session().runner()).fetch(x);
      if (training != null) {
        r.feed(g.training(), t).feed(g.neftuneAlpha(), a).feed(g.neftuneSeed(), s);
      }
      try (Result res = r.run()) {
        return HostTensors.toDoubles(res.get(0));
      }
    }
  }
}
