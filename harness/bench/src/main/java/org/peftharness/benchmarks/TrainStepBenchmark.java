package org.peftharness.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.full.FullMethod;
import org.peftharness.methods.lora.LoraMethod;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.train.Batch;
import org.peftharness.train.SequenceClassifier;
import org.peftharness.train.TrainConfig;
import org.peftharness.train.TrainListener;
import org.peftharness.train.TrainResult;
import org.peftharness.train.Trainer;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One optimizer step (forward, backward, clipping, AdamW) of the embedded MiniLM with a
 * classification head on a batch of 16 x 64 tokens, dropout on: full fine-tuning or a LoRA of rank
 * 8 on query and value ({@code lora8}, the methods module's LoRA), each in fp32 or bf16.
 * {@link #flops(String)} gives the analytic FLOPs of a step for the MatMul-relative figure.
 */
public class TrainStepBenchmark extends BenchmarkProtocol {
  static final int BATCH = 16;
  static final int SEQ = 64;
  /** MiniLM's shape, for the analytic FLOPs. */
  private static final int HIDDEN = 384;
  private static final int FFN = 1536;
  private static final int LAYERS = 6;

  @Param({FullMethod.NAME, "lora8"})
  public String method;

  /** fp32, or bf16 as {@link Precision} defines it (full fine-tuning: float32 master weights, bf16 products). */
  @Param({"fp32", "bf16"})
  public String precision;

  PretrainedModel pm;
  EncoderModel<TFloat32> graph;
  Trainer<TFloat32> trainer;
  List<Batch> batches;
  /** The loss op's node name: where a traced step's forward pass ends ({@link StepProfile}). */
  String lossNode;

  @Setup(Level.Trial)
  public void setUp() {
    pm = PretrainedModel.open(PretrainedModel.MINILM);
    boolean full = method.equals(FullMethod.NAME);
    Map<String, Object> options = full ? Map.of(MethodConfig.METHOD_KEY, FullMethod.NAME)
        : Map.of(MethodConfig.METHOD_KEY, LoraMethod.NAME, "rank", 8, "alpha", 16, "target_modules", List.of("query", "value"));
    AdapterFactory factory = AdapterFactory.create(MethodConfig.fromMap(options, "benchmark"),
        pm.config().architecture().defaultTargets(), null);
    graph = (EncoderModel<TFloat32>) pm.buildGraph(TFloat32.class, factory, Precision.valueOf(precision.toUpperCase(Locale.ROOT)));
    var head = SequenceClassifier.attach(graph, pm.weights(), 2, new SeedStreams(42));
    Map<String, Variable<TFloat32>> vars = new LinkedHashMap<>();
    if (full) {
      graph.parameters().forEach((k, p) -> vars.put(k, p.trainable()));
      vars.putAll(head.variables());
    } else {
      factory.initialize(graph.session(), new SeedStreams(42), Map.of(), null);
      for (AdapterVariable v : factory.trainableVariables()) {
        @SuppressWarnings("unchecked")
        Variable<TFloat32> typed = (Variable<TFloat32>) v.variable();
        vars.put(v.name(), typed);
      }
      vars.putAll(head.trainedWithAdapter()); // PEFT's modules_to_save, as a cell trains them
    }
    trainer = new Trainer<>(graph, head.loss(), vars, TrainConfig.defaults(1e-5).withSteps(1_000_000));
    lossNode = head.loss().op().name();
    batches = List.of(randomBatch(head, BATCH, SEQ));
  }

  /** {@code n} examples of {@code length} random word-piece ids with random binary labels, from a fixed seed. */
  static Batch randomBatch(SequenceClassifier<TFloat32> head, int n, int length) {
    SplittableRandom rng = new SplittableRandom(3);
    List<int[]> seqs = new ArrayList<>();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int[] s = new int[length];
      for (int j = 0; j < length; j++) {
        s[j] = 1000 + rng.nextInt(20000);
      }
      seqs.add(s);
      labels[i] = rng.nextInt(2);
    }
    return head.batch(seqs, labels);
  }

  @Benchmark
  public double step() {
    TrainResult r = trainer.train(batches, TrainListener.NONE, trainer.step() + 1);
    return r.finalLoss();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    graph.close();
    pm.close();
  }

  /**
   * Analytic FLOPs of one step (2 per multiply-add; matmuls and attention only): forward F; full
   * fine-tuning 3F (activation and weight gradients), LoRA about 2F (activation gradients) plus
   * its own small matmuls.
   */
  public static double flops(String method) {
    return method.equals(FullMethod.NAME) ? 3 * forwardFlops() : 2 * forwardFlops() + loraFlops();
  }

  /** The forward pass's FLOPs, F. */
  static double forwardFlops() {
    double perLayerWeights = 4.0 * HIDDEN * HIDDEN + 2.0 * HIDDEN * FFN;
    double attention = 4.0 * BATCH * SEQ * SEQ * HIDDEN;
    return LAYERS * (2.0 * BATCH * SEQ * perLayerWeights + attention);
  }

  /** LoRA r8's own products on query and value (two sites a layer), forward and backward. */
  private static double loraFlops() {
    return 3 * LAYERS * 2 * (2.0 * BATCH * SEQ * 8 * (HIDDEN + HIDDEN));
  }
}
