package org.peftharness.methods;

import java.util.List;
import java.util.Locale;
import org.peftharness.core.InvalidInputException;

/** Which linear maps a method adapts: module-path suffixes, matched as PEFT does. */
public final class TargetModules {
  /** BERT/RoBERTa encoders (LoRA-XS / LoRA-SB GLUE code). */
  public static final List<String> ENCODER = List.of("query", "value", "attention.output.dense", "output.dense");
  /** Llama/Mistral/Gemma decoders: all seven projections. */
  public static final List<String> DECODER = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  private TargetModules() {}

  /** The default targets of a Hugging Face {@code model_type}. */
  public static List<String> defaultsFor(String modelType) {
    switch (modelType.toLowerCase(Locale.ROOT)) {
      case "bert":
      case "roberta":
      case "xlm-roberta":
        return ENCODER;
      case "llama":
      case "mistral":
      case "gemma":
      case "gemma2":
      case "qwen2":
        return DECODER;
      default:
        throw new InvalidInputException((String) null, 0, "target_modules",
            "no default target modules for model type '" + modelType + "'; name them with target_modules");
    }
  }

  /**
   * PEFT's rule for a list of targets: the module path equals a target or ends with "." + target.
   * So {@code output.dense} matches {@code encoder.layer.3.output.dense} and also
   * {@code encoder.layer.3.attention.output.dense} (both are targets by default), while
   * {@code intermediate.dense} matches neither {@code output.dense} nor {@code query}.
   */
  public static boolean matches(String module, List<String> targets) {
    for (String t : targets) {
      if (module.equals(t) || module.endsWith("." + t)) {
        return true;
      }
    }
    return false;
  }
}
