package org.peftharness.methods.estimate;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;

/**
 * Accumulates the estimated gradient of every target matrix, one matrix at a time (the harness
 * hands over each target's gradient for the current batch and may drop it afterwards; only one
 * running float32 sum per target is held, never all full gradients of the model).
 *
 * <p>The harness always passes the gradient of the batch's mean loss (HF's loss) and the number
 * of examples in the batch; the rule does the rest:
 * <ul>
 *   <li>AVERAGED (LoRA-GA, GA lora_ga_utils.py L63–138): G = (1/batches) Σ_b ∇L_b;</li>
 *   <li>SUMMED (LoRA-SB, SB gradient_utils.py L100–114): G = Σ_b ∇(L_b / N_b) = Σ_b ∇L_b / N_b.</li>
 * </ul>
 * Sums are taken in float32 in batch order, as the references do in the model dtype.
 */
public final class GradientAccumulator {
  private final GradientRule rule;
  private final Map<String, float[]> sums = new LinkedHashMap<>();
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();

  public GradientAccumulator(GradientRule rule) {
    this.rule = rule;
  }

  public GradientRule rule() {
    return rule;
  }

  /** Adds one batch's gradient of the batch-mean loss for one target matrix. */
  public void add(String module, FloatTensor meanLossGradient, int samplesInBatch) {
    if (samplesInBatch < 1) {
      throw new IllegalArgumentException("a batch has at least one example");
    }
    float[] g = meanLossGradient.data();
    float[] sum = sums.get(module);
    if (sum == null) {
      sum = new float[g.length];
      sums.put(module, sum);
      shapes.put(module, meanLossGradient.shape());
      counts.put(module, 0);
    } else if (!Arrays.equals(shapes.get(module), meanLossGradient.shape())) {
      throw new IllegalArgumentException("gradient of " + module + " changed shape");
    }
    if (rule == GradientRule.SUMMED) {
      float inv = 1.0f / samplesInBatch;
      for (int i = 0; i < g.length; i++) {
        sum[i] += g[i] * inv;
      }
    } else {
      for (int i = 0; i < g.length; i++) {
        sum[i] += g[i];
      }
    }
    counts.merge(module, 1, Integer::sum);
  }

  /** Batches seen for a module. */
  public int batches(String module) {
    return counts.getOrDefault(module, 0);
  }

  /** The estimate per module (AVERAGED divides by the batch count); every module must have seen the same batches. */
  public Map<String, FloatTensor> result() {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    Integer first = null;
    for (Map.Entry<String, float[]> e : sums.entrySet()) {
      int n = counts.get(e.getKey());
      if (first == null) {
        first = n;
      } else if (first != n) {
        throw new IllegalStateException("modules saw different batch counts (" + first + " vs " + n + " for " + e.getKey() + ")");
      }
      float[] v = e.getValue().clone();
      if (rule == GradientRule.AVERAGED) {
        for (int i = 0; i < v.length; i++) {
          v[i] /= n;
        }
      }
      out.put(e.getKey(), new FloatTensor(shapes.get(e.getKey()), v));
    }
    return Collections.unmodifiableMap(out);
  }
}
