package org.peftharness.methods.estimate;

import java.util.ArrayList;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.Method;
import org.peftharness.methods.MethodOptions;

/**
 * The gradient-estimation pre-pass a data-dependent method asks for, as the harness must run it:
 * on the base model before adapters exist (in the harness: adapters zeroed), all target weights
 * differentiable, model in training mode (base dropout active), HF mean-token loss per batch.
 *
 * @param rule AVERAGED (LoRA-GA) or SUMMED (LoRA-SB)
 * @param samples examples used in total
 * @param batchSize examples per batch
 * @param shuffle false for LoRA-GA (the first {@code samples} examples in order), true for
 *     LoRA-SB (a shuffled loader, seeded from the {@code gradient-estimate} stream)
 */
public record GradientEstimation(Method.GradientRule rule, int samples, int batchSize, boolean shuffle) {

  /** The plan of a method's options, or null when it needs no estimate. */
  public static GradientEstimation of(MethodOptions o) {
    switch (o.method().gradientRule()) {
      case AVERAGED:
        return new GradientEstimation(Method.GradientRule.AVERAGED, o.estimationSamples(), o.estimationBatchSize(), false);
      case SUMMED:
        return new GradientEstimation(Method.GradientRule.SUMMED, o.estimationSamples(), o.estimationBatchSize(), true);
      default:
        return null;
    }
  }

  /** Batch sizes in order: full batches, the last truncated to reach exactly {@code samples}. */
  public List<Integer> batchSizes() {
    List<Integer> out = new ArrayList<>();
    for (int left = samples; left > 0; left -= batchSize) {
      out.add(Math.min(batchSize, left));
    }
    return out;
  }

  public int batches() {
    return (samples + batchSize - 1) / batchSize;
  }

  /** A fresh accumulator following this plan's rule. */
  public GradientAccumulator accumulator() {
    return new GradientAccumulator(rule);
  }

  /**
   * LoRA-SB's T_est = len(estimation DataLoader) · epochs = ⌈training examples / estimation batch
   * size⌉ · epochs (SB train_arithmetic.py L95–97: the loader over the whole training set with
   * the estimation batch size, not the optimizer's step count).
   */
  public static long loraSbEstimationSteps(long trainingExamples, int estimationBatchSize, int epochs) {
    if (trainingExamples < 1 || estimationBatchSize < 1 || epochs < 1) {
      throw new IllegalArgumentException("training examples, batch size and epochs must be positive");
    }
    return ((trainingExamples + estimationBatchSize - 1) / estimationBatchSize) * epochs;
  }

  /** LoRA-SB's η_eff = lr / (warmup_ratio · T_est): the first-step learning rate of a linear warmup. */
  public static double loraSbEtaEff(double lr, double warmupRatio, long estimationSteps) {
    if (!(lr > 0) || !(warmupRatio > 0) || estimationSteps < 1) {
      throw new InvalidInputException((String) null, 0, "eta_eff", "lora-sb needs lr > 0, warmup_ratio > 0 and estimation steps >= 1 "
          + "(got lr " + lr + ", warmup_ratio " + warmupRatio + ", steps " + estimationSteps + ")");
    }
    return lr / (warmupRatio * estimationSteps);
  }
}
