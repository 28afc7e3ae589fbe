package org.peftharness.methods.estimate;

import java.util.ArrayList;
import java.util.List;

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
public record GradientEstimation(GradientRule rule, int samples, int batchSize, boolean shuffle) {

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
}
