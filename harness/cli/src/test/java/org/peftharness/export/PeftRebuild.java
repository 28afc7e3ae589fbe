package org.peftharness.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;

/**
 * A PEFT LoRA folder put onto a transformers task model the way PEFT does it, written from PEFT's
 * source and not from the harness's exporter:
 * <ul>
 *   <li>every saved key starts with the PeftModel prefix {@code base_model.model.}, and
 *       set_peft_model_state_dict (utils/save_and_load.py) inserts the adapter name after
 *       {@code lora_A} / {@code lora_B};</li>
 *   <li>a module gets LoRA when its name equals a {@code target_modules} entry or ends with
 *       {@code "." + entry} (tuners/tuners_utils.py check_target_module_exists), and a target that
 *       the file has no factors for would keep PEFT's zero-initialised B, so it is refused here;</li>
 *   <li>the merged weight is {@code W + scaling·B·A}, scaling {@code lora_alpha / r}, or
 *       {@code lora_alpha / sqrt(r)} under use_rslora (tuners/lora/layer.py update_layer,
 *       get_delta_weight);</li>
 *   <li>under {@code use_dora} every target also has {@code <module>.lora_magnitude_vector} (m, one
 *       per output feature; tuners/lora/model.py _get_adapter_state_dict saves it without
 *       {@code .weight}), and the merged weight is {@code m / ‖W + scaling·B·A‖_row ⊙ (W + scaling·B·A)},
 *       the norm over each row (tuners/lora/variants.py DoraLinearVariant.merge_safe, dora.py
 *       get_weight_norm: torch.linalg.norm over dim 1);</li>
 *   <li>any other saved key belongs to a {@code modules_to_save} module (utils/other.py
 *       ModulesToSaveWrapper; set_peft_model_state_dict maps {@code <module>} to
 *       {@code <module>.modules_to_save.<adapter>}) and replaces that tensor of the task model.</li>
 * </ul>
 * Merging is in float64, each merged weight rounded to float32 once.
 */
final class PeftRebuild {
  static final String PREFIX = "base_model.model.";
  /** The key suffix of a DoRA magnitude, after the module name. */
  static final String MAGNITUDE = ".lora_magnitude_vector";

  /** The rebuilt task model's tensors, and its weights without the LoRA deltas (head from the adapter). */
  record Rebuilt(Map<String, FloatTensor> merged, Map<String, FloatTensor> withoutLora, JsonNode config) {}

  private PeftRebuild() {}

  /**
   * @param base the task model's tensors before the adapter, by transformers key (those the
   *     checkpoint has; a fresh head tensor is absent and must come from modules_to_save)
   * @param expected every key of the task model (TransformersKeys)
   */
  static Rebuilt apply(Path folder, Map<String, FloatTensor> base, Set<String> expected) throws IOException {
    JsonNode c = JsonDocument.MAPPER.readTree(Files.readString(folder.resolve("adapter_config.json")));
    assertThat(c.get("peft_type").asText()).isEqualTo("LORA");
    boolean dora = c.path("use_dora").asBoolean(false);
    assertThat(c.path("fan_in_fan_out").asBoolean(false)).as("fan_in_fan_out").isFalse();
    assertThat(c.path("bias").asText("none")).isEqualTo("none");
    assertThat(c.path("rank_pattern").size()).as("rank_pattern").isZero();
    assertThat(c.path("alpha_pattern").size()).as("alpha_pattern").isZero();
    int r = c.get("r").asInt();
    double alpha = c.get("lora_alpha").asDouble();
    double scaling = c.path("use_rslora").asBoolean(false) ? alpha / Math.sqrt(r) : alpha / r;
    List<String> targets = strings(c.get("target_modules"));
    List<String> toSave = c.path("modules_to_save").isArray() ? strings(c.get("modules_to_save")) : List.of();

    Map<String, FloatTensor> saved = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("adapter_model.safetensors"))) {
      for (String k : f.names()) {
        assertThat(k).as("PeftModel key").startsWith(PREFIX);
        saved.put(k.substring(PREFIX.length()), f.readFloat(k));
      }
    }
    Map<String, FloatTensor> merged = new LinkedHashMap<>(base);
    Map<String, FloatTensor> withoutLora = new LinkedHashMap<>(base);
    for (Map.Entry<String, FloatTensor> e : saved.entrySet()) {
      String k = e.getKey();
      if (k.endsWith(".lora_A.weight") || k.endsWith(".lora_B.weight") || (dora && k.endsWith(MAGNITUDE))) {
        continue;
      }
      boolean wrapped = false;
      for (String m : toSave) {
        wrapped |= k.equals(m) || k.startsWith(m + ".") || k.contains("." + m + ".");
      }
      assertThat(wrapped).as("%s belongs to no module of modules_to_save %s", k, toSave).isTrue();
      assertThat(expected).as("the task model has %s", k).contains(k);
      merged.put(k, e.getValue());
      withoutLora.put(k, e.getValue());
    }
    int adapted = 0;
    for (String key : base.keySet()) {
      if (!key.endsWith(".weight") || base.get(key).shape().length != 2 || key.contains("embed")) {
        continue; // LoRA's Linear layers; embeddings are not targeted by these adapters
      }
      String module = key.substring(0, key.length() - ".weight".length());
      boolean targeted = targets.stream().anyMatch(t -> module.equals(t) || module.endsWith("." + t));
      FloatTensor a = saved.remove(module + ".lora_A.weight");
      FloatTensor b = saved.remove(module + ".lora_B.weight");
      if (!targeted) {
        assertThat(a).as("%s is not a target but has lora_A", module).isNull();
        continue;
      }
      assertThat(a).as("lora_A of target %s", module).isNotNull();
      assertThat(b).as("lora_B of target %s", module).isNotNull();
      assertThat(a.shape()).containsExactly(r, base.get(key).dim(1));
      assertThat(b.shape()).containsExactly(base.get(key).dim(0), r);
      if (dora) {
        FloatTensor magnitude = saved.remove(module + MAGNITUDE);
        assertThat(magnitude).as("lora_magnitude_vector of target %s", module).isNotNull();
        assertThat(magnitude.shape()).containsExactly(base.get(key).dim(0));
        merged.put(key, rowsRescaled(base.get(key), b, a, scaling, magnitude));
      } else {
        merged.put(key, plusScaledProduct(base.get(key), b, a, scaling));
      }
      adapted++;
    }
    assertThat(adapted).as("adapted modules").isPositive();
    List<String> leftover = new ArrayList<>();
    saved.keySet().stream().filter(k -> k.contains(".lora_")).forEach(leftover::add);
    assertThat(leftover).as("LoRA factors for modules the task model does not have").isEmpty();
    assertThat(merged.keySet()).as("the rebuilt task model's keys").containsExactlyInAnyOrderElementsOf(expected);
    return new Rebuilt(merged, withoutLora, c);
  }

  /** {@code m / ‖W + s·B·A‖_row ⊙ (W + s·B·A)} in float64, rounded once: DoRA's merged weight. */
  static FloatTensor rowsRescaled(FloatTensor w, FloatTensor b, FloatTensor a, double s, FloatTensor magnitude) {
    int m = Math.toIntExact(w.dim(0));
    int n = Math.toIntExact(w.dim(1));
    int r = Math.toIntExact(a.dim(0));
    double[] v = new double[m * n];
    float[] out = new float[m * n];
    for (int i = 0; i < m; i++) {
      double squares = 0;
      for (int j = 0; j < n; j++) {
        double acc = 0;
        for (int k = 0; k < r; k++) {
          acc += (double) b.data()[i * r + k] * a.data()[k * n + j];
        }
        v[i * n + j] = w.data()[i * n + j] + s * acc;
        squares += v[i * n + j] * v[i * n + j];
      }
      double factor = magnitude.data()[i] / Math.sqrt(squares);
      for (int j = 0; j < n; j++) {
        out[i * n + j] = (float) (factor * v[i * n + j]);
      }
    }
    return new FloatTensor(w.shape(), out);
  }

  /** {@code W + s·B·A} in float64, rounded once. */
  static FloatTensor plusScaledProduct(FloatTensor w, FloatTensor b, FloatTensor a, double s) {
    int m = Math.toIntExact(w.dim(0));
    int n = Math.toIntExact(w.dim(1));
    int r = Math.toIntExact(a.dim(0));
    float[] out = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double acc = 0;
        for (int k = 0; k < r; k++) {
          acc += (double) b.data()[i * r + k] * a.data()[k * n + j];
        }
        out[i * n + j] = (float) (w.data()[i * n + j] + s * acc);
      }
    }
    return new FloatTensor(w.shape(), out);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }
}
