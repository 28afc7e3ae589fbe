package org.peftharness.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TNumber;

/**
 * Variables the optimizer updates with one learning rate and weight decay, as a torch parameter
 * group (a classifier head often gets its own). Names are used in checkpoints; keep them unique.
 */
public record ParamGroup<T extends TNumber>(String name, Map<String, Variable<T>> variables, double learningRate,
    double weightDecay) {
  public ParamGroup {
    variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    if (!(learningRate >= 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("group " + name + ": learning rate and weight decay must be >= 0");
    }
  }

  /**
   * Splits variables as Hugging Face's Trainer does by default: biases and LayerNorm/RMSNorm
   * weights get no weight decay, everything else {@code weightDecay}.
   */
  public static <T extends TNumber> java.util.List<ParamGroup<T>> hfDecaySplit(String name, Map<String, Variable<T>> vars,
      double lr, double weightDecay) {
    Map<String, Variable<T>> decay = new LinkedHashMap<>();
    Map<String, Variable<T>> noDecay = new LinkedHashMap<>();
    vars.forEach((k, v) -> (decayExempt(k) ? noDecay : decay).put(k, v));
    java.util.List<ParamGroup<T>> out = new java.util.ArrayList<>();
    if (!decay.isEmpty()) {
      out.add(new ParamGroup<>(name, decay, lr, weightDecay));
    }
    if (!noDecay.isEmpty()) {
      out.add(new ParamGroup<>(name + "-no-decay", noDecay, lr, 0.0));
    }
    return out;
  }

  /**
   * Whether Hugging Face's Trainer leaves this parameter out of weight decay: a bias or a
   * LayerNorm/RMSNorm weight (its get_decay_parameter_names: not in ALL_LAYERNORM_LAYERS, no "bias").
   */
  public static boolean decayExempt(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".bias") || lower.contains("layernorm") || lower.contains("norm.weight");
  }
}
