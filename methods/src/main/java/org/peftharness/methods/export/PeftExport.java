package org.peftharness.methods.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Method;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.adapter.SiteState;
import org.peftharness.methods.linalg.Matrix;

/**
 * Conversion of trained adapters to a stock PEFT LoRA adapter on the <em>unmodified</em> base
 * model (host math, float64, rounded once):
 * <ul>
 *   <li>LoRA, LoRA-FA: A and B as they are; r, alpha, use_rslora as configured.</li>
 *   <li>PiSSA, LoRA-GA: PEFT's rank-2r conversion (PEFT model.py L1024–1066, peft_model.py
 *       L397–410): {@code A' = [A; A0]}, {@code B' = [B, −B0]}, {@code r' = 2r},
 *       {@code alpha' = 2·alpha} (√2·alpha under rsLoRA), so {@code s'·B'A' = s(BA − B0A0)} and
 *       {@code W0 + s'·B'A' = W_res + s·BA} up to the rounding of W_res.</li>
 *   <li>LoRA-XS, LoRA-SB: R folded into B: {@code lora_B = B·R}, {@code lora_A = A}, same r, alpha.</li>
 * </ul>
 * Full fine-tuning has no adapter (see {@link Merge} for its weights).
 */
public final class PeftExport {
  /** Export settings the model side knows. */
  public record Info(String modulePrefix, String taskType, String baseModelNameOrPath, List<String> modulesToSave) {
    public Info {
      modulePrefix = modulePrefix == null ? "" : modulePrefix;
    }
  }

  private PeftExport() {}

  public static boolean supports(Method m) {
    return !m.isFull();
  }

  /** The PEFT key of a site's tensor: {@code base_model.model.<prefix><module>.lora_A.weight}. */
  public static String key(Info info, String module, String which) {
    return "base_model.model." + info.modulePrefix() + module + "." + which + ".weight";
  }

  public static PeftAdapter export(MethodOptions o, List<String> targetModules, Map<String, SiteState> sites, Info info) {
    Method m = o.method();
    if (!supports(m)) {
      throw new IllegalArgumentException("full fine-tuning has no PEFT adapter; write the merged weights instead");
    }
    boolean doubled = m.replacesBase();
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (SiteState s : sites.values()) {
      FloatTensor[] ab = convert(o, s);
      tensors.put(key(info, s.site().module(), "lora_A"), ab[0]);
      tensors.put(key(info, s.site().module(), "lora_B"), ab[1]);
    }
    int r = doubled ? 2 * o.rank() : o.rank();
    double alpha = doubled ? (o.rslora() ? Math.sqrt(2) * o.alpha() : 2 * o.alpha()) : o.alpha();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("peft_type", "LORA");
    c.put("r", r);
    c.put("lora_alpha", alpha);
    c.put("use_rslora", o.rslora());
    c.put("target_modules", List.copyOf(targetModules));
    c.put("lora_dropout", o.dropout());
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("init_lora_weights", true);
    c.put("task_type", info.taskType());
    c.put("modules_to_save", info.modulesToSave() == null ? null : List.copyOf(info.modulesToSave()));
    c.put("base_model_name_or_path", info.baseModelNameOrPath());
    c.put("use_dora", false);
    c.put("rank_pattern", Map.of());
    c.put("alpha_pattern", Map.of());
    return new PeftAdapter(tensors, c);
  }

  /** One site's exported {@code {lora_A, lora_B}}. */
  public static FloatTensor[] convert(MethodOptions o, SiteState s) {
    Method m = o.method();
    switch (m.parametrisation()) {
      case LATENT:
        return new FloatTensor[] {s.a(), Matrix.of(s.b()).mul(Matrix.of(s.r())).toFloat()};
      case LOW_RANK:
        if (m.replacesBase()) {
          if (s.init() == null) {
            throw new IllegalStateException(s.site().module() + ": the initial A0, B0 are needed for the conversion");
          }
          Matrix a = Matrix.of(s.a()).concatRows(Matrix.of(s.init().a()));
          Matrix b = Matrix.of(s.b()).concatCols(Matrix.of(s.init().b()).scale(-1));
          return new FloatTensor[] {a.toFloat(), b.toFloat()};
        }
        return new FloatTensor[] {s.a(), s.b()};
      default:
        throw new IllegalArgumentException(m.name() + " has no adapter");
    }
  }

  /** Name of the method whose export this is, for provenance: e.g. "pissa converted to rank-2r LoRA". */
  public static String describe(Method m) {
    if (m.replacesBase()) {
      return m.name() + " converted to plain LoRA of rank 2r on the original base (PEFT's conversion)";
    }
    if (m.parametrisation() == Method.Parametrisation.LATENT) {
      return m.name() + " as plain LoRA with R folded into B";
    }
    return m.name().equals(MethodRegistry.LORA_FA) ? "lora-fa as plain LoRA (A saved too)" : m.name() + " as plain LoRA";
  }
}
