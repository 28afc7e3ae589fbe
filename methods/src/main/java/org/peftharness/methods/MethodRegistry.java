package org.peftharness.methods;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.methods.Method.GradientRule;
import org.peftharness.methods.Method.Parametrisation;

/** The fine-tuning methods by name. */
public final class MethodRegistry {
  public static final String FULL = "full";
  public static final String LORA = "lora";
  public static final String LORA_XS = "lora-xs";
  public static final String LORA_GA = "lora-ga";
  public static final String PISSA = "pissa";
  public static final String LORA_FA = "lora-fa";
  public static final String LORA_SB = "lora-sb";

  private static final Map<String, Method> METHODS = new LinkedHashMap<>();

  static {
    register(new Method(FULL, "full fine-tuning: every weight and bias of the model is trained",
        Parametrisation.FULL, EnumSet.of(Role.WEIGHT, Role.BIAS), false, false, GradientRule.NONE));
    register(new Method(LORA, "LoRA (Hu et al. 2021): trainable B·A beside frozen W0, kaiming-uniform A, B = 0; rsLoRA via use_rslora",
        Parametrisation.LOW_RANK, EnumSet.of(Role.A, Role.B), false, false, GradientRule.NONE));
    register(new Method(LORA_XS, "LoRA-XS (Balazy et al. 2024): frozen B = U_r, A = S_r V_r^T from the SVD of W0, trainable r x r R",
        Parametrisation.LATENT, EnumSet.of(Role.R), false, true, GradientRule.NONE));
    register(new Method(LORA_GA, "LoRA-GA (Wang et al. 2024): A, B from the SVD of an averaged gradient of W0, stable scale, residual base",
        Parametrisation.LOW_RANK, EnumSet.of(Role.A, Role.B), true, true, GradientRule.AVERAGED));
    register(new Method(PISSA, "PiSSA (Meng et al. 2024): A, B from the principal singular triplets of W0, residual base",
        Parametrisation.LOW_RANK, EnumSet.of(Role.A, Role.B), true, true, GradientRule.NONE));
    register(new Method(LORA_FA, "LoRA-FA (Zhang et al. 2023): LoRA with A frozen at its random init, only B trained (optional PEFT gradient correction)",
        Parametrisation.LOW_RANK, EnumSet.of(Role.B), false, false, GradientRule.NONE));
    register(new Method(LORA_SB, "LoRA-SB (Ponkshe et al. 2024): frozen B, A and trainable R from the SVD of the first full-FT update estimate",
        Parametrisation.LATENT, EnumSet.of(Role.R), false, true, GradientRule.SUMMED));
  }

  private MethodRegistry() {}

  private static void register(Method m) {
    if (METHODS.putIfAbsent(m.name(), m) != null) {
      throw new IllegalStateException("method registered twice: " + m.name());
    }
  }

  /** The method of that name; an unknown name is an input error naming the closest ones. */
  public static Method get(String name) {
    return get(name, null, 0, "method");
  }

  /** As {@link #get(String)}, reporting an unknown name against a file position. */
  public static Method get(String name, String source, int line, String field) {
    Method m = name == null ? null : METHODS.get(name);
    if (m == null) {
      throw new InvalidInputException(source, line, field,
          "unknown method '" + name + "'" + DidYouMean.hint(String.valueOf(name), METHODS.keySet()));
    }
    return m;
  }

  public static boolean contains(String name) {
    return METHODS.containsKey(name);
  }

  /** All methods in registration order. */
  public static Collection<Method> all() {
    return Collections.unmodifiableCollection(METHODS.values());
  }

  /** Name to one-line description, in registration order. */
  public static Map<String, String> descriptions() {
    Map<String, String> d = new LinkedHashMap<>();
    METHODS.values().forEach(m -> d.put(m.name(), m.description()));
    return d;
  }
}
