package org.peftharness.benchmarks;

import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.train.Batch;
import org.peftharness.train.SequenceClassifier;
import org.tensorflow.types.TFloat32;

/**
 * Evaluation throughput: one forward pass (no dropout, no gradient) of the embedded MiniLM with a
 * classification head over {@code batch} examples of 64 tokens, as a classification task's
 * evaluation runs it. Examples per second are {@code batch / time}.
 */
public class EvalBenchmark extends BenchmarkProtocol {
  static final int SEQ = 64;

  @Param({"1", "8", "32", "64"})
  public int batch;

  @Param({"fp32", "bf16"})
  public String precision;

  PretrainedModel pm;
  EncoderModel<TFloat32> graph;
  SequenceClassifier<TFloat32> head;
  Batch input;

  @Setup(Level.Trial)
  public void setUp() {
    pm = PretrainedModel.open(PretrainedModel.MINILM);
    graph = (EncoderModel<TFloat32>) pm.buildGraph(TFloat32.class,
        LinearFactory.PLAIN, Precision.valueOf(precision.toUpperCase(Locale.ROOT)));
    head = SequenceClassifier.attach(graph, pm.weights(), 2, new SeedStreams(42));
    input = TrainStepBenchmark.randomBatch(head, batch, SEQ);
  }

  @Benchmark
  public FloatTensor forward() {
    return head.predict(input);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    graph.close();
    pm.close();
  }
}
