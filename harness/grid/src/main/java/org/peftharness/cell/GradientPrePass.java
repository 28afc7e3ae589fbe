package org.peftharness.cell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.grid.CellProgress;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.estimate.GradientAccumulator;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.peftharness.train.Batch;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A method's gradient pre-pass on the base model (adapters zeroed): per batch the gradient of the
 * batch-mean loss with respect to every target weight, handed to the method's accumulator one
 * matrix at a time. It runs in training mode, dropout active at the model's configured rates, as
 * both references do: LoRA-GA calls {@code model.train()} before {@code estimate_gradient}
 * (LoRA-GA peft/src/peft/utils/lora_ga_utils/lora_ga_utils.py L63-138) and LoRA-SB before
 * {@code estimate_and_process_grads_torch} (lora-sb utils/gradient_utils.py L36-146). Each batch's
 * dropout masks come from their own stream, {@link #DROPOUT_STREAM}, so the training's masks are
 * the same with or without a pre-pass.
 */
final class GradientPrePass {
  /** The seed stream of the pre-pass's dropout masks. */
  static final String DROPOUT_STREAM = "gradient-estimate-dropout";

  private final GraphModel<TFloat32> graph;
  private final AdapterFactory factory;
  private final TaskRun run;
  private final GradientEstimation estimation;
  private final SeedStreams seeds;
  private int batches;
  private int examples;

  GradientPrePass(GraphModel<TFloat32> graph, AdapterFactory factory, TaskRun run, GradientEstimation estimation,
      SeedStreams seeds) {
    this.graph = graph;
    this.factory = factory;
    this.run = run;
    this.estimation = estimation;
    this.seeds = seeds;
  }

  Map<String, FloatTensor> run(CellProgress progress) {
    factory.zeroAdapters(graph.session());
    List<AdapterSite> sites = factory.sites();
    List<Operand<?>> weights = new ArrayList<>();
    sites.forEach(s -> weights.add(s.weightAsMultiplied()));
    Ops scope = graph.ops().withSubScope("gradient_estimate");
    Gradients grads = scope.gradients(run.loss(), weights);
    // a bf16 model's weight gradients are bfloat16 (torch's .grad of a bf16 weight is too); the sum is float32
    List<Operand<?>> fetched = new ArrayList<>();
    for (int i = 0; i < sites.size(); i++) {
      Output<?> dy = grads.dy(i);
      fetched.add(dy.type() == TFloat32.class ? dy : scope.dtypes.cast(dy, TFloat32.class));
    }
    List<Integer> order = estimation.shuffle()
        ? TaskRun.shuffled(run.trainSize(), seeds.random(SeedStreams.GRADIENT_ESTIMATE))
        : TaskRun.shuffled(run.trainSize(), null);
    SplittableRandom masks = seeds.random(DROPOUT_STREAM);
    GradientAccumulator acc = estimation.accumulator();
    int from = 0;
    for (int size : estimation.batchSizes()) {
      if (from >= order.size()) {
        break;
      }
      List<Integer> idx = order.subList(from, Math.min(order.size(), from + size));
      from += size;
      Batch b = run.trainBatch(idx);
      List<Tensor> owned = new ArrayList<>();
      try {
        Session.Runner r = graph.session().runner();
        b.feed(r, owned);
        TBool training = TBool.scalarOf(true);
        owned.add(training);
        TInt64 seed = TInt64.vectorOf(masks.nextLong(), 0L);
        owned.add(seed);
        r.feed(graph.training(), training).feed(graph.dropoutSeed(), seed);
        fetched.forEach(r::fetch);
        try (Result res = r.run()) {
          for (int i = 0; i < sites.size(); i++) {
            acc.add(sites.get(i).module(), HostTensors.toHost(res.get(i)), idx.size());
          }
        }
      } finally {
        owned.forEach(Tensor::close);
      }
      batches++;
      examples += idx.size();
      progress.step(batches, Double.NaN);
    }
    return acc.result();
  }

  /** How it ran, for the training's provenance ({@code observed.gradient_pre_pass}). */
  Map<String, String> record() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("mode", "train");
    out.put("dropout_sites", Integer.toString(graph.dropoutSites()));
    out.put("dropout_stream", DROPOUT_STREAM);
    out.put("order", estimation.shuffle() ? "shuffled (" + SeedStreams.GRADIENT_ESTIMATE + ")" : "first examples in order");
    out.put("batches", Integer.toString(batches));
    out.put("examples", Integer.toString(examples));
    return out;
  }
}
