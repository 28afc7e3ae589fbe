package org.peftharness.methods.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.adapter.SiteState;

/**
 * Trained adapters as a stock PEFT LoRA adapter: the tensors by PEFT's keys and the fields of
 * {@code adapter_config.json}, through the method's {@link PeftConversion}. A method that trains
 * the whole model has no adapter (see {@link Merge} for merged weights).
 */
public final class PeftExport {
  /** Export settings the model side knows. */
  public record Info(String modulePrefix, String taskType, String baseModelNameOrPath, List<String> modulesToSave) {
    public Info {
      modulePrefix = modulePrefix == null ? "" : modulePrefix;
    }
  }

  private PeftExport() {}

  /** The PEFT key of a site's tensor: {@code base_model.model.<prefix><module>.lora_A.weight}. */
  public static String key(Info info, String module, String which) {
    return "base_model.model." + info.modulePrefix() + module + "." + which + ".weight";
  }

  /**
   * The PEFT key of a site's DoRA magnitude: {@code base_model.model.<prefix><module>.lora_magnitude_vector},
   * without {@code .weight}: PEFT saves the DoraLinearLayer's weight under its pre-refactor name
   * (tuners/lora/model.py L988-1003, _get_adapter_state_dict strips ".weight" from
   * {@code lora_magnitude_vector.<adapter>.weight}, and the adapter name is then removed).
   */
  public static String magnitudeKey(Info info, String module) {
    return "base_model.model." + info.modulePrefix() + module + ".lora_magnitude_vector";
  }

  public static PeftAdapter export(MethodConfig<?> method, List<String> targetModules, Map<String, SiteState> sites, Info info) {
    PeftConversion conversion = method.peftConversion().orElseThrow(() -> new IllegalArgumentException(
        method.name() + " has no PEFT adapter; write the merged weights instead"));
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (SiteState s : sites.values()) {
      PeftConversion.LoraFactors ab = conversion.site().convert(s);
      tensors.put(key(info, s.site().module(), "lora_A"), ab.a());
      tensors.put(key(info, s.site().module(), "lora_B"), ab.b());
      if (conversion.useDora()) {
        tensors.put(magnitudeKey(info, s.site().module()), ab.magnitude());
      }
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("peft_type", "LORA");
    c.put("r", conversion.rank());
    c.put("lora_alpha", conversion.alpha());
    c.put("use_rslora", conversion.options().rslora());
    c.put("target_modules", List.copyOf(targetModules));
    c.put("lora_dropout", conversion.options().dropout());
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("init_lora_weights", true);
    c.put("task_type", info.taskType());
    c.put("modules_to_save", info.modulesToSave() == null ? null : List.copyOf(info.modulesToSave()));
    c.put("base_model_name_or_path", info.baseModelNameOrPath());
    c.put("use_dora", conversion.useDora());
    c.put("rank_pattern", Map.of());
    c.put("alpha_pattern", Map.of());
    return new PeftAdapter(tensors, c);
  }
}
