package org.peftharness.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TNumber;

/**
 * LoRA+ (Hayou et al. 2024): B learns {@code ratio} times faster than A. The grouping is
 * LLaMA-Factory's {@code _create_loraplus_optimizer} (src/llamafactory/train/trainer_utils.py
 * L372-407 at ff6d4d1; PEFT's {@code create_loraplus_optimizer}, src/peft/optimizers/loraplus.py
 * L61-87 at 5d602fd, forms the same groups but decays them by its own {@code loraplus_weight_decay},
 * L90): a trainable parameter is in the B groups when
 * it is a B matrix or one-dimensional ({@code "lora_B" in name or param.ndim == 1}, L392), and
 * those split by Hugging Face's decay rule into {@code lora_b} (lr·ratio, weight decay) and
 * {@code lora_b_nodecay} (lr·ratio, no decay); every other trainable parameter is in
 * {@code lora_a} (lr, weight decay, L402, whatever its name). The {@code embedding} group
 * ({@code lora_embedding_B}, lr {@code loraplus_lr_embedding}) has no member here: the harness
 * adapts no embedding layer.
 */
public final class LoraPlusGroups {
  private LoraPlusGroups() {}

  /**
   * The groups of {@code vars} in LLaMA-Factory's order (A, B, B without decay; empty ones left
   * out), named {@code name}, {@code name-loraplus} and {@code name-loraplus-no-decay}.
   *
   * @param bMatrices the names of the variables that are a B matrix (by role, not by name)
   * @param lr the base learning rate of these variables
   * @param ratio LoRA+'s λ = lr_B / lr_A
   */
  public static <T extends TNumber> List<ParamGroup<T>> split(String name, Map<String, Variable<T>> vars,
      Set<String> bMatrices, double lr, double ratio, double weightDecay) {
    Map<String, Variable<T>> a = new LinkedHashMap<>();
    Map<String, Variable<T>> b = new LinkedHashMap<>();
    Map<String, Variable<T>> bNoDecay = new LinkedHashMap<>();
    vars.forEach((k, v) -> {
      if (bMatrices.contains(k) || v.shape().numDimensions() == 1) {
        (ParamGroup.decayExempt(k) ? bNoDecay : b).put(k, v);
      } else {
        a.put(k, v);
      }
    });
    List<ParamGroup<T>> out = new ArrayList<>();
    if (!a.isEmpty()) {
      out.add(new ParamGroup<>(name, a, lr, weightDecay));
    }
    if (!b.isEmpty()) {
      out.add(new ParamGroup<>(name + "-loraplus", b, lr * ratio, weightDecay));
    }
    if (!bNoDecay.isEmpty()) {
      out.add(new ParamGroup<>(name + "-loraplus-no-decay", bNoDecay, lr * ratio, 0.0));
    }
    return out;
  }
}
