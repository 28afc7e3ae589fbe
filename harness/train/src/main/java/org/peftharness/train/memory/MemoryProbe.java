package org.peftharness.train.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.adapter.AdapterDropout;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.model.HeadKind;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.train.Batch;
import org.peftharness.train.CausalLmLoss;
import org.peftharness.train.SequenceClassifier;
import org.peftharness.train.TrainConfig;
import org.peftharness.train.TrainListener;
import org.peftharness.train.Trainer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.AllocatorMemoryUsed;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * Measures the peak memory of one optimizer step of a real training graph, as TensorFlow's own
 * allocator reports it: the step's session runs (every micro-batch's accumulation and the last
 * one's update) are traced ({@code RunOptions.FULL_TRACE}), and every op's step stats carry the
 * allocator's {@code bytes_in_use} when the op finished (TF step_stats_collector.cc
 * NodeExecStatsWrapper::AddAllocation). The peak is the largest such sample of the step, less the
 * allocator's bytes in use before the model was built. It counts what the estimator estimates,
 * every tensor in the allocator (weights, adapters, optimizer slots, accumulators, activations,
 * gradients), and nothing of the JVM or of TensorFlow's runtime outside it; a sample is taken at an
 * op's end, so a kernel's scratch space freed inside it is missed.
 *
 * <p>The probe builds the graph as a cell does (the method's adapter factory, the task head, the
 * {@link Trainer}), runs one untraced step so lazily allocated state exists, then traces the next
 * one, running the Trainer's own ops by their graph names ({@code trainer/accumulate},
 * {@code adamw/train}). Adapter dropout is left out (the methods' default rate, 0); methods with a
 * gradient pre-pass (LoRA-GA, LoRA-SB) are initialised without one, which changes their values, not
 * their memory.
 */
public final class MemoryProbe {
  /** One measurement to make. */
  public record Setup(String model, MethodConfig<?> method, Precision precision, int batch, int length, int gradAccum) {}

  private static final RunOptions TRACE = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

  private MemoryProbe() {}

  /** The measured peak of one training step, in bytes above what the allocator held before. */
  public static long trainingPeak(Setup s) {
    long before = allocatorInUse();
    try (PretrainedModel pm = PretrainedModel.open(s.model())) {
      boolean whole = s.method().trainsWholeModel();
      // as TrainingCellExecutor: the method's factory for every method, full fine-tuning's included
      AdapterFactory factory = AdapterFactory.create(s.method(), pm.config().architecture().defaultTargets(),
          AdapterDropout.IDENTITY);
      try (GraphModel<TFloat32> graph = pm.buildGraph(TFloat32.class, factory, s.precision())) {
        Map<String, Variable<TFloat32>> trained = new LinkedHashMap<>();
        if (whole) {
          graph.parameters().forEach((k, p) -> trained.put(k, p.trainable()));
        } else {
          factory.initialize(graph.session(), new SeedStreams(7), Map.of(), null);
          for (AdapterVariable v : factory.trainableVariables()) {
            @SuppressWarnings("unchecked")
            Variable<TFloat32> typed = (Variable<TFloat32>) v.variable();
            trained.put(v.name(), typed);
          }
        }
        SplittableRandom rng = new SplittableRandom(11);
        Operand<TFloat32> loss;
        Batch batch;
        if (pm.config().architecture().headKind() == HeadKind.SEQUENCE_CLASSIFICATION) {
          SequenceClassifier<TFloat32> head = SequenceClassifier.attach((EncoderModel<TFloat32>) graph, pm.weights(), 2,
              new SeedStreams(7));
          trained.putAll(whole ? head.variables() : head.trainedWithAdapter());
          loss = head.loss();
          int[] labels = new int[s.batch()];
          for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(2);
          }
          batch = head.batch(tokens(rng, s, pm.config().vocabSize()), labels);
        } else {
          CausalLmLoss<TFloat32> lm = new CausalLmLoss<>((DecoderModel<TFloat32>) graph);
          loss = lm.loss();
          int[][] ids = tokens(rng, s, pm.config().vocabSize()).toArray(new int[0][]);
          int[][] mask = new int[ids.length][s.length()];
          for (int[] row : mask) {
            Arrays.fill(row, 1);
          }
          batch = lm.batch(ids, mask, ids);
        }
        Trainer<TFloat32> trainer = new Trainer<>(graph, loss, trained,
            TrainConfig.defaults(1e-5).withAccumulation(s.gradAccum()).withSteps(1_000));
        List<Batch> group = Collections.nCopies(s.gradAccum(), batch);
        trainer.train(group, TrainListener.NONE, 1);
        return tracedStep(graph, loss, batch, s.gradAccum()) - before;
      }
    }
  }

  /**
   * The allocator's bytes in use now, less the 4 KiB the probe itself allocates: a traced run of a
   * graph that fills and sums 1024 floats (an op's sample exists only where it allocated).
   */
  public static long allocatorInUse() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> filled = tf.fill(tf.constant(new int[] {1024}), tf.constant(1f));
      return Math.max(0, traced(s.runner().fetch(tf.reduceSum(filled, tf.constant(0)))) - 4096);
    }
  }

  /** One optimizer step of the Trainer's graph, traced; the largest allocator sample of its runs. */
  private static long tracedStep(GraphModel<TFloat32> graph, Operand<TFloat32> loss, Batch batch, int accum) {
    Session session = graph.session();
    long peak = 0;
    for (int k = 0; k < accum; k++) {
      List<Tensor> owned = new ArrayList<>();
      try {
        Session.Runner r = session.runner();
        batch.feed(r, owned);
        TBool training = TBool.scalarOf(true);
        TInt64 seed = TInt64.vectorOf(k + 1L, 0L);
        owned.add(training);
        owned.add(seed);
        r.feed(graph.training(), training).feed(graph.dropoutSeed(), seed).fetch(loss);
        if (k == accum - 1) {
          TFloat64 lr = TFloat64.scalarOf(1e-5);
          owned.add(lr);
          r.feed("adamw/lr_0", lr).addTarget("adamw/train");
        } else {
          r.addTarget("trainer/accumulate");
        }
        peak = Math.max(peak, traced(r));
      } finally {
        owned.forEach(Tensor::close);
      }
    }
    return peak;
  }

  /**
   * Runs traced; the sum over allocators of each one's largest {@code bytes_in_use} sample (one
   * allocator, oneDNN's {@code mklcpu}, serves every op on this CPU build; a GPU build adds its
   * device's).
   */
  private static long traced(Session.Runner r) {
    try (Result res = r.setOptions(TRACE).runAndFetchMetadata()) {
      RunMetadata md = res.getMetadata().orElseThrow(() -> new IllegalStateException("TensorFlow returned no run metadata"));
      Map<String, Long> peaks = new HashMap<>();
      for (DeviceStepStats d : md.getStepStats().getDevStatsList()) {
        for (NodeExecStats n : d.getNodeStatsList()) {
          for (AllocatorMemoryUsed m : n.getMemoryList()) {
            peaks.merge(m.getAllocatorName(), m.getAllocatorBytesInUse(), Math::max);
          }
        }
      }
      return peaks.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static List<int[]> tokens(SplittableRandom rng, Setup s, int vocab) {
    List<int[]> rows = new ArrayList<>();
    for (int i = 0; i < s.batch(); i++) {
      int[] row = new int[s.length()];
      for (int j = 0; j < row.length; j++) {
        row[j] = 3 + rng.nextInt(vocab - 3);
      }
      rows.add(row);
    }
    return rows;
  }
}
