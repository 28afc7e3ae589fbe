package org.peftharness.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.lora.LoraMethod;

/**
 * The fields of a PEFT {@code adapter_config.json} that decide the forward of a LoRA adapter, or
 * of a DoRA one ({@code use_dora}), read with bounds (peft/tuners/lora/config.py, LoraConfig). Everything that would
 * change the forward in a way the harness does not build is refused with the field named, rather
 * than ignored: another PEFT type, per-module ranks or alphas, bias training, transposed
 * weights, a layer subset, a regex target, excluded modules, a bias on lora_B, trainable tokens.
 * {@code lora_dropout} acts only in training. {@code init_lora_weights} is read again when PEFT
 * loads an adapter (tuners/lora/layer.py, LoraLayer.update_layer): the random and data-driven
 * inits of A and B are then overwritten by the saved factors, but PiSSA, OLoRA, CorDA and LoftQ
 * also subtract their initial product from the base weight, so their saved factors belong to a
 * residual base; PEFT's own conversion ({@code path_initial_model_for_weight_conversion}) writes
 * {@code init_lora_weights: true} for that reason. Those modes are refused.
 *
 * @param rank PEFT's {@code r}
 * @param alpha {@code lora_alpha} (PEFT's default 8)
 * @param rslora {@code use_rslora}: scaling alpha/sqrt(r) instead of alpha/r (tuners/lora/layer.py, update_layer)
 * @param dora {@code use_dora}: the harness's {@code dora} method, each target with its saved magnitude vector
 * @param targetModules the suffixes PEFT matches module names against (tuners_utils.py, check_target_module_exists)
 * @param modulesToSave the modules PEFT saves whole (ModulesToSaveWrapper), e.g. {@code classifier}; for
 *     {@code task_type: SEQ_CLS} also {@code classifier} and {@code score}, which PEFT adds itself
 *     (peft_model.py, PeftModelForSequenceClassification.__init__)
 */
public record PeftLoraConfig(int rank, double alpha, boolean rslora, boolean dora, List<String> targetModules,
    List<String> modulesToSave, String baseModel, JsonDocument source) {

  /** Fields whose only harmless value is false. */
  private static final List<String> MUST_BE_FALSE = List.of("fan_in_fan_out", "lora_bias", "use_qalora");
  /** Fields whose only harmless value is empty or absent. */
  private static final List<String> MUST_BE_EMPTY = List.of("rank_pattern", "alpha_pattern", "layers_to_transform",
      "exclude_modules", "trainable_token_indices", "target_parameters");

  /** Inits that leave the base weight alone, so that the saved factors sit on the unmodified base. */
  private static final List<String> BASE_PRESERVING_INITS = List.of("gaussian", "eva", "orthogonal");

  public static PeftLoraConfig read(Path file) {
    JsonDocument d = JsonDocument.read(file);
    String type = d.requireString("peft_type");
    if (!type.equals("LORA")) {
      throw d.error("peft_type", "'" + type + "' is not supported; only LORA adapters are loaded");
    }
    for (String f : MUST_BE_FALSE) {
      if (d.optBoolean(f).orElse(false)) {
        throw d.error(f, "true is not supported by the harness's LoRA forward; only false is loaded");
      }
    }
    for (String f : MUST_BE_EMPTY) {
      JsonNode n = d.root().get(f);
      if (n != null && !n.isNull() && !(n.isContainerNode() && n.isEmpty())) {
        throw d.error(f, "must be empty or absent (the harness builds one rank and one alpha on every target), got " + n);
      }
    }
    String bias = d.optString("bias").orElse("none");
    if (!bias.equals("none")) {
      throw d.error("bias", "'" + bias + "' trains biases, which the harness does not load; only \"none\" is supported");
    }
    JsonNode init = d.root().get("init_lora_weights");
    if (init != null && !init.isNull() && !init.isBoolean() && !(init.isTextual() && BASE_PRESERVING_INITS.contains(init.asText()))) {
      throw d.error("init_lora_weights", init + " is not one of true, false, " + String.join(", ", BASE_PRESERVING_INITS)
          + ": PiSSA, OLoRA, CorDA and LoftQ change the base weights when PEFT loads the adapter, so their factors do not "
          + "belong to the unmodified base; convert the adapter first (PEFT's path_initial_model_for_weight_conversion, "
          + "which writes true here)");
    }
    int rank = d.positiveInt("r");
    double alpha = d.optDouble("lora_alpha").orElse(8.0);
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw d.error("lora_alpha", "must be a positive number, got " + alpha);
    }
    JsonNode targets = d.root().get("target_modules");
    if (targets == null || !targets.isArray() || targets.isEmpty()) {
      throw d.error("target_modules", "expected a non-empty list of module names"
          + (targets != null && targets.isTextual() ? " (a regex or \"all-linear\" string is not supported)" : ""));
    }
    List<String> saved = new ArrayList<>(d.has("modules_to_save") ? strings(d, "modules_to_save") : List.of());
    if (d.optString("task_type").orElse("").equals("SEQ_CLS")) {
      List.of("classifier", "score").forEach(m -> {
        if (!saved.contains(m)) {
          saved.add(m);
        }
      });
    }
    return new PeftLoraConfig(rank, alpha, d.optBoolean("use_rslora").orElse(false), d.optBoolean("use_dora").orElse(false),
        strings(d, "target_modules"),
        List.copyOf(saved), d.optString("base_model_name_or_path").orElse(null), d);
  }

  private static List<String> strings(JsonDocument d, String field) {
    JsonNode n = d.root().get(field);
    if (!n.isArray()) {
      throw d.error(field, "expected a list of module names, got " + n);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual() || e.asText().isEmpty()) {
        throw d.error(field, "expected module names, got " + e);
      }
      out.add(e.asText());
    }
    return List.copyOf(out);
  }

  /**
   * The adapter as the harness's LoRA (or DoRA) method: same rank, alpha, scaling rule and targets (a target
   * spelled with the task model's prefix, {@code bert.encoder.layer.0.attention.self.query}, loses
   * it, since the harness names modules without it); no dropout at evaluation.
   */
  public MethodConfig<?> method(String modulePrefix) {
    List<String> targets = new ArrayList<>();
    for (String t : targetModules) {
      targets.add(!modulePrefix.isEmpty() && t.startsWith(modulePrefix) ? t.substring(modulePrefix.length()) : t);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MethodConfig.METHOD_KEY, dora ? DoraMethod.NAME : LoraMethod.NAME);
    m.put("rank", rank);
    m.put("alpha", alpha);
    m.put("use_rslora", rslora);
    m.put("target_modules", targets);
    return MethodConfig.fromMap(m, source.source());
  }

  /** An error about a field of this file, with its line. */
  public InvalidInputException error(String field, String problem) {
    return source.error(field, problem);
  }
}
