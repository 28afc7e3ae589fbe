package org.peftharness.grid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.peftharness.methods.MethodConfig;
import org.peftharness.model.HeadKind;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.tasks.spec.TaskKind;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.train.memory.ByteSize;
import org.peftharness.train.memory.MemoryEstimate;
import org.peftharness.train.memory.MemoryEstimator;

/**
 * A cell's estimated peak memory: its training step, its gradient pre-pass if the method has one,
 * and each evaluation, from the model's config.json alone; and, against a device's memory, what
 * would make a cell that does not fit fit, among what the harness implements.
 *
 * <p>Evaluation prompts are not truncated (DecoderTaskRun), so their length is taken as the
 * training's {@code max_length}; an encoder's evaluation uses the training's truncation.
 */
public record CellMemory(Cell cell, MemoryEstimate training, Optional<MemoryEstimate> prePass,
    List<MemoryEstimate> evaluations, MemoryEstimator estimator, MemoryEstimator.Training trainingShape,
    List<EvalShape> evalShapes) {

  /** How one evaluation runs: its precision, batch, and new tokens (0 for an encoder's forward pass). */
  public record EvalShape(Precision precision, int batch, int newTokens) {}

  @SuppressWarnings("unchecked")
  public static CellMemory of(Cell cell, GridPlan plan, TaskRegistry tasks) {
    Path dir = plan.modelPath(cell.model());
    String spec = dir == null ? PretrainedModel.MINILM : dir.toString();
    ModelConfig config = PretrainedModel.readConfig(spec);
    MethodConfig<?> method = MethodConfig.fromMap((Map<String, Object>) cell.config().get("method"), "cell " + cell.id());
    TrainSection train = TrainSection.of((Map<String, Object>) cell.config().get("train"));
    boolean encoder = config.architecture().headKind() == HeadKind.SEQUENCE_CLASSIFICATION;
    int labels = encoder ? labels(tasks.get(cell.evaluations().get(0).task())) : 0;
    // a folder's pooler is assumed present (Hugging Face BERT checkpoints have one); the embedded MiniLM has none
    MemoryEstimator estimator = MemoryEstimator.of(spec, config, method, labels, dir != null);
    int length = encoder ? Math.min(train.maxLength(), config.maxPositions() - 2) : train.maxLength();
    MemoryEstimator.Training shape = new MemoryEstimator.Training(train.batchSize(), length, train.gradAccum(), train.precision());
    List<MemoryEstimate> evaluations = new ArrayList<>();
    List<EvalShape> shapes = new ArrayList<>();
    for (Evaluation e : cell.evaluations()) {
      EvalSection ev = EvalSection.of((Map<String, Object>) e.config().get("eval"));
      EvalShape es = new EvalShape(ev.precision(train), ev.batchSize(), encoder ? 0 : ev.maxNewTokens());
      shapes.add(es);
      evaluations.add(estimator.evaluation(es.precision(), es.batch(), length, es.newTokens()));
    }
    return new CellMemory(cell, estimator.training(shape), estimator.prePass(train.precision(), length), evaluations,
        estimator, shape, shapes);
  }

  private static int labels(TaskSpec task) {
    return task.kind() == TaskKind.REGRESSION ? 1 : task.numLabels();
  }

  /** The phase with the largest estimate. */
  public MemoryEstimate peak() {
    List<MemoryEstimate> all = new ArrayList<>(evaluations);
    all.add(training);
    prePass.ifPresent(all::add);
    return all.stream().max(Comparator.comparingLong(MemoryEstimate::total)).orElseThrow();
  }

  public boolean fits(long device) {
    return peak().total() <= device;
  }

  /**
   * What would bring each phase that does not fit under {@code device}, among the harness's own
   * settings: a smaller micro-batch with more accumulation, {@code precision: bf16}, a smaller
   * evaluation batch. Activation recomputation (gradient checkpointing) is not implemented, so it is
   * never offered; when nothing the harness has would do, the advice says what is left.
   */
  public List<String> advice(long device) {
    List<String> out = new ArrayList<>();
    if (training.total() > device) {
      out.add(trainingAdvice(device));
    }
    prePass.filter(p -> p.total() > device).ifPresent(p -> out.add(prePassAdvice(p, device)));
    for (int i = 0; i < evaluations.size(); i++) {
      if (evaluations.get(i).total() > device) {
        out.add(evaluationAdvice(i, device));
      }
    }
    return out;
  }

  private String trainingAdvice(long device) {
    MemoryEstimator.Training t = trainingShape;
    List<String> options = new ArrayList<>();
    OptionalInt micro = estimator.largestMicroBatch(t, device);
    boolean anyFits = micro.isPresent();
    micro.ifPresent(b -> {
      int accum = (int) Math.ceil((double) t.microBatch() * t.gradAccum() / b);
      long bytes = estimator.training(new MemoryEstimator.Training(b, t.length(), accum, t.precision())).total();
      options.add("batch_size " + b + " with grad_accum " + accum + " fits (" + ByteSize.format(bytes) + ")");
    });
    if (t.precision() == Precision.FP32) {
      MemoryEstimator.Training bf16 = new MemoryEstimator.Training(t.microBatch(), t.length(), t.gradAccum(), Precision.BF16);
      long bytes = estimator.training(bf16).total();
      OptionalInt bf16Micro = estimator.largestMicroBatch(bf16, device);
      if (bytes <= device) {
        options.add("precision: bf16 fits (" + ByteSize.format(bytes) + ")");
      } else if (bf16Micro.isPresent()) {
        options.add("precision: bf16 with batch_size " + bf16Micro.getAsInt() + " fits");
      } else {
        options.add("precision: bf16 does not fit either (" + ByteSize.format(bytes) + ")");
      }
      anyFits |= bytes <= device || bf16Micro.isPresent();
    }
    if (!anyFits) {
      long fixed = training.total() - training.bytes(MemoryEstimator.ACTIVATIONS) - training.bytes(MemoryEstimator.BACKWARD)
          - training.bytes(MemoryEstimator.UPDATE);
      options.add("the weights, gradients, accumulators and optimizer states alone take " + ByteSize.format(fixed)
          + (estimator.method().trainsWholeModel()
              ? ": only a method that trains fewer parameters fits (the harness does not shard or offload optimizer"
                  + " states, nor recompute activations)"
              : ": the harness does not recompute activations or offload weights"));
    }
    return "training needs " + ByteSize.format(training.total()) + ": " + String.join("; ", options);
  }

  private String prePassAdvice(MemoryEstimate p, long device) {
    List<String> options = new ArrayList<>();
    int batch = estimator.method().gradientEstimation().orElseThrow().batchSize();
    for (int b = batch - 1; b >= 1; b--) {
      if (estimator.prePass(trainingShape.precision(), trainingShape.length(), b).orElseThrow().total() <= device) {
        options.add("estimation_batch_size " + b + " fits");
        break;
      }
    }
    if (trainingShape.precision() == Precision.FP32) {
      long bytes = estimator.prePass(Precision.BF16, trainingShape.length(), batch).orElseThrow().total();
      String smaller = null;
      for (int b = batch - 1; b >= 1 && bytes > device && smaller == null; b--) {
        long at = estimator.prePass(Precision.BF16, trainingShape.length(), b).orElseThrow().total();
        smaller = at <= device ? "precision: bf16 with estimation_batch_size " + b + " fits (" + ByteSize.format(at) + ")" : null;
      }
      options.add(bytes <= device ? "precision: bf16 fits (" + ByteSize.format(bytes) + ")"
          : smaller != null ? smaller : "precision: bf16 does not fit either (" + ByteSize.format(bytes) + ")");
    }
    if (options.isEmpty()) {
      options.add("the target weights' gradients and the weights alone exceed the device");
    }
    return "gradient pre-pass needs " + ByteSize.format(p.total()) + ": " + String.join("; ", options);
  }

  private String evaluationAdvice(int i, long device) {
    MemoryEstimate e = evaluations.get(i);
    EvalShape shape = evalShapes.get(i);
    List<String> options = new ArrayList<>();
    for (int b = shape.batch() - 1; b >= 1; b--) {
      if (estimator.evaluation(shape.precision(), b, trainingShape.length(), shape.newTokens()).total() <= device) {
        options.add("eval batch_size " + b + " fits");
        break;
      }
    }
    if (shape.precision() == Precision.FP32) {
      long bytes = estimator.evaluation(Precision.BF16, shape.batch(), trainingShape.length(), shape.newTokens()).total();
      options.add(bytes <= device ? "eval.precision: bf16 fits (" + ByteSize.format(bytes) + ")"
          : "eval.precision: bf16 does not fit either (" + ByteSize.format(bytes) + ")");
    }
    if (options.isEmpty()) {
      options.add("nothing the harness has brings it under the device's memory");
    }
    return "evaluation on " + cell.evaluations().get(i).task() + " needs " + ByteSize.format(e.total()) + ": "
        + String.join("; ", options);
  }
}
