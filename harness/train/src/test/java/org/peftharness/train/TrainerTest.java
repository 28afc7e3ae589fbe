package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.tensorflow.Result;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;

class TrainerTest {
  @TempDir Path dir;

  static final List<int[]> SEQS = List.of(new int[] {2, 5, 7, 9, 11, 3}, new int[] {2, 8, 3}, new int[] {2, 12, 13, 14, 3},
      new int[] {2, 20, 21, 3}, new int[] {2, 30, 31, 32, 33, 34, 35, 3}, new int[] {2, 40, 3}, new int[] {2, 41, 42, 3},
      new int[] {2, 43, 44, 45, 46, 3});
  static final int[] LABELS = {0, 1, 1, 0, 1, 0, 0, 1};

  static <T extends TNumber> Map<String, Variable<T>> all(GraphModel<T> g, SequenceClassifier<T> head) {
    Map<String, Variable<T>> vars = new LinkedHashMap<>();
    g.parameters().forEach((k, p) -> vars.put(k, p.trainable()));
    vars.putAll(head.variables());
    return vars;
  }

  static double[] snapshot(GraphModel<TFloat64> g, Map<String, Variable<TFloat64>> vars) {
    List<Double> out = new ArrayList<>();
    for (Variable<TFloat64> v : vars.values()) {
      try (Result r = g.session().runner().fetch(v).run()) {
        for (double d : org.peftharness.model.graph.HostTensors.toDoubles(r.get(0))) {
          out.add(d);
        }
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Trains a tiny BERT classifier in float64; returns the final parameters. */
  double[] run(Path model, TrainConfig cfg, List<List<int[]>> batches, List<int[]> labels, List<TrainListener.StepLog> logs,
      double[][] lossesOut) {
    try (PretrainedModel pm = PretrainedModel.open(model.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(cfg.seed()));
      var vars = all(g, head);
      Trainer<TFloat64> t = new Trainer<>(g, head.loss(), vars, cfg);
      List<Batch> data = new ArrayList<>();
      for (int i = 0; i < batches.size(); i++) {
        data.add(head.batch(batches.get(i), labels.get(i)));
      }
      TrainResult r = t.train(data, logs::add);
      assertThat(r.ok()).as(r.reason()).isTrue();
      if (lossesOut != null) {
        lossesOut[0] = r.losses();
      }
      return snapshot(g, vars);
    }
  }

  @Test
  void accumulatingTwoHalvesEqualsOneFullBatch() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.0, 0.0, true, 21);
    TrainConfig base = TrainConfig.defaults(1e-2).withSteps(3).withShuffle(false).withClipping(0.5);
    List<int[]> first = SEQS.subList(0, 4);
    List<int[]> second = SEQS.subList(4, 8);
    int[] l1 = java.util.Arrays.copyOfRange(LABELS, 0, 4);
    int[] l2 = java.util.Arrays.copyOfRange(LABELS, 4, 8);
    double[][] lossA = new double[1][];
    double[][] lossB = new double[1][];
    double[] whole = run(m, base, List.of(SEQS), List.of(LABELS), new ArrayList<>(), lossA);
    double[] halves = run(m, base.withAccumulation(2), List.of(first, second), List.of(l1, l2), new ArrayList<>(), lossB);
    double maxDiff = 0;
    for (int i = 0; i < whole.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(whole[i] - halves[i]));
    }
    assertThat(maxDiff).isLessThan(1e-10);
    assertThat(lossA[0]).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(Math.abs(lossA[0][i] - lossB[0][i])).isLessThan(1e-12);
    }
  }

  @Test
  void listenerSeesLossLearningRateNormAndThroughput() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.1, 0.1, true, 22);
    TrainConfig cfg = TrainConfig.defaults(1e-2).withEpochs(3).withSchedule(Schedule.Kind.LINEAR, 0, 0.25).withLogging(2);
    List<TrainListener.StepLog> logs = new ArrayList<>();
    List<List<int[]>> batches = List.of(SEQS.subList(0, 2), SEQS.subList(2, 4), SEQS.subList(4, 6), SEQS.subList(6, 8));
    List<int[]> labels = List.of(new int[] {0, 1}, new int[] {1, 0}, new int[] {1, 0}, new int[] {0, 1});
    run(m, cfg, batches, labels, logs, null);
    // 3 epochs x 4 batches = 12 steps, warmup ceil(0.25 * 12) = 3; logs at 2, 4, ..., 12
    assertThat(logs).extracting(TrainListener.StepLog::step).containsExactly(2, 4, 6, 8, 10, 12);
    assertThat(logs.get(0).learningRate()).isCloseTo(1e-2 / 3, org.assertj.core.api.Assertions.within(1e-15));
    assertThat(logs.get(5).learningRate()).isCloseTo(1e-2 / 9, org.assertj.core.api.Assertions.within(1e-15));
    assertThat(logs.get(5).epoch()).isEqualTo(3.0);
    for (var l : logs) {
      assertThat(l.loss()).isFinite().isPositive();
      assertThat(l.gradNorm()).isFinite().isPositive();
      assertThat(l.tokensPerSecond()).isPositive();
    }
  }

  @Test
  void resumingFromACheckpointContinuesBitForBit() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.1, 0.1, true, 23);
    TrainConfig cfg = TrainConfig.defaults(1e-2).withEpochs(2).withAccumulation(2).withSchedule(Schedule.Kind.COSINE, 1, 0);
    List<List<int[]>> batches = List.of(SEQS.subList(0, 2), SEQS.subList(2, 4), SEQS.subList(4, 6), SEQS.subList(6, 8));
    List<int[]> labels = List.of(new int[] {0, 1}, new int[] {1, 0}, new int[] {1, 0}, new int[] {0, 1});
    double[][] straightLosses = new double[1][];
    double[] straight = run(m, cfg, batches, labels, new ArrayList<>(), straightLosses);
    Path ckpt = dir.resolve("ckpt");
    double[] resumedLosses;
    double[] resumed;
    try (PretrainedModel pm = PretrainedModel.open(m.toString())) {
      try (var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
        var head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(cfg.seed()));
        Trainer<TFloat64> t = new Trainer<>(g, head.loss(), all(g, head), cfg);
        List<Batch> data = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
          data.add(head.batch(batches.get(i), labels.get(i)));
        }
        TrainResult first = t.train(data, TrainListener.NONE, 2);
        assertThat(first.steps()).isEqualTo(2);
        t.save(ckpt);
      }
      try (var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
        var head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(999)); // head values come from the checkpoint
        var vars = all(g, head);
        Trainer<TFloat64> t = new Trainer<>(g, head.loss(), vars, cfg);
        t.restore(ckpt);
        assertThat(t.step()).isEqualTo(2);
        List<Batch> data = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
          data.add(head.batch(batches.get(i), labels.get(i)));
        }
        TrainResult rest = t.train(data, TrainListener.NONE);
        assertThat(rest.steps()).isEqualTo(4);
        resumedLosses = rest.losses();
        resumed = snapshot(g, vars);
      }
    }
    assertThat(resumed).containsExactly(straight);
    assertThat(resumedLosses).containsExactly(straightLosses[0][2], straightLosses[0][3]);
  }

  @Test
  void aNonFiniteLossEndsTheRunWithAReason() {
    Path m = TinyModels.encoder(dir, "roberta", 1, 0.0, 0.0, false, 24);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 1, new SeedStreams(1));
      Trainer<TFloat64> t = new Trainer<>(g, head.loss(), head.variables(), TrainConfig.defaults(1e-3).withSteps(5).withShuffle(false));
      List<Batch> data = List.of(head.batch(List.of(new int[] {0, 5, 2}), new float[] {1f}),
          head.batch(List.of(new int[] {0, 6, 2}), new float[] {Float.NaN}));
      TrainResult r = t.train(data, TrainListener.NONE);
      assertThat(r.status()).isEqualTo(TrainResult.Status.DIVERGED);
      assertThat(r.steps()).isEqualTo(2);
      assertThat(r.reason()).contains("non-finite loss").contains("step 2 of 5");
    }
  }

  @Test
  void causalLmTrainingOnlyMovesTheChosenVariablesAndLowersTheLoss() {
    Path fixture = SharedFiles.fixture("tiny-llama");
    try (PretrainedModel pm = PretrainedModel.open(fixture.toString());
        var g = (DecoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      CausalLmLoss<TFloat64> lm = new CausalLmLoss<>(g);
      Map<String, Variable<TFloat64>> chosen = new LinkedHashMap<>();
      chosen.put("model.layers.1.mlp.down_proj.weight", g.parameters().get("model.layers.1.mlp.down_proj.weight").trainable());
      chosen.put("lm_head.weight", g.parameters().get("lm_head.weight").trainable());
      Map<String, Variable<TFloat64>> frozen = new LinkedHashMap<>();
      frozen.put("model.layers.0.self_attn.q_proj.weight", g.parameters().get("model.layers.0.self_attn.q_proj.weight").trainable());
      double[] frozenBefore = snapshot(g, frozen);
      Batch batch = lm.batch(List.of(new int[] {1, 40, 41}, new int[] {1, 50, 51, 52}),
          List.of(new int[] {60, 61, 62, 2}, new int[] {70, 2}), false);
      Trainer<TFloat64> t = new Trainer<>(g, lm.loss(), chosen, TrainConfig.defaults(1e-2).withSteps(8).withSchedule(Schedule.Kind.CONSTANT, 0, 0));
      double before = t.evaluateLoss(List.of(batch));
      TrainResult r = t.train(List.of(batch), TrainListener.NONE);
      assertThat(r.ok()).isTrue();
      assertThat(r.losses()[0]).isEqualTo(before);
      assertThat(t.evaluateLoss(List.of(batch))).isLessThan(before * 0.8);
      assertThat(snapshot(g, frozen)).containsExactly(frozenBefore);
    }
  }

  double[] trainLm(List<List<int[]>> prompts, List<List<int[]>> responses, int accumulation, boolean tokenMean, double[][] losses) {
    Path fixture = SharedFiles.fixture("tiny-llama");
    try (PretrainedModel pm = PretrainedModel.open(fixture.toString());
        var g = (DecoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      CausalLmLoss<TFloat64> lm = new CausalLmLoss<>(g);
      Map<String, Variable<TFloat64>> vars = new LinkedHashMap<>();
      g.parameters().forEach((k, p) -> vars.put(k, p.trainable()));
      Trainer<TFloat64> t = new Trainer<>(g, lm.loss(), vars,
          TrainConfig.defaults(1e-3).withSteps(2).withShuffle(false).withAccumulation(accumulation));
      if (tokenMean) {
        t.averageTokensAcrossMicroBatches(lm.normalizer());
      }
      List<Batch> data = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        data.add(lm.batch(prompts.get(i), responses.get(i), false));
      }
      TrainResult r = t.train(data, TrainListener.NONE);
      assertThat(r.ok()).isTrue();
      losses[0] = r.losses();
      return snapshot(g, vars);
    }
  }

  @Test
  void tokenMeanAccumulationEqualsOneBatchOverAllTokens() {
    List<int[]> p1 = List.of(new int[] {1, 40, 41}, new int[] {1, 42});
    List<int[]> r1 = List.of(new int[] {60, 61, 62, 63, 2}, new int[] {70, 2});
    List<int[]> p2 = List.of(new int[] {1, 43, 44, 45});
    List<int[]> r2 = List.of(new int[] {80, 2});
    List<int[]> pAll = new ArrayList<>(p1);
    pAll.addAll(p2);
    List<int[]> rAll = new ArrayList<>(r1);
    rAll.addAll(r2);
    double[][] la = new double[1][];
    double[][] lb = new double[1][];
    double[][] lc = new double[1][];
    // the single batch is used twice (2 steps); the halves give 2 steps of 2 micro-batches
    double[] whole = trainLm(List.of(pAll), List.of(rAll), 1, false, la);
    double[] tokenMean = trainLm(List.of(p1, p2), List.of(r1, r2), 2, true, lb);
    double[] microMean = trainLm(List.of(p1, p2), List.of(r1, r2), 2, false, lc);
    double diffToken = 0;
    double diffMicro = 0;
    for (int i = 0; i < whole.length; i++) {
      diffToken = Math.max(diffToken, Math.abs(whole[i] - tokenMean[i]));
      diffMicro = Math.max(diffMicro, Math.abs(whole[i] - microMean[i]));
    }
    assertThat(diffToken).isLessThan(1e-10);
    assertThat(Math.abs(la[0][0] - lb[0][0])).isLessThan(1e-12);
    // micro-batch means weight the one-example batch's 1 token like the other batch's 6: another objective
    assertThat(diffMicro).isGreaterThan(1e-6);
  }

  @Test
  void aVariableTheLossDoesNotReachIsRejectedByName() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.0, 0.0, true, 25);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      var head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(1));
      var stray = g.addParameter("stray.weight", 3, 3);
      Map<String, Variable<TFloat64>> vars = new LinkedHashMap<>(head.variables());
      vars.put("stray.weight", stray.trainable());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Trainer<>(g, head.loss(), vars, TrainConfig.defaults(1e-3)))
          .hasMessageContaining("stray.weight");
    }
  }
}
