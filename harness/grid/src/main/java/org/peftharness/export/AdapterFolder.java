package org.peftharness.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.export.PeftAdapter;
import org.peftharness.methods.export.PeftExport;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.ModelConfig;
import org.peftharness.results.AtomicFiles;
import org.tensorflow.Session;

/**
 * Writes a trained adapter as the folder stock PEFT loads on the original base model:
 * {@code adapter_config.json} and {@code adapter_model.safetensors} with PEFT's key names. PiSSA and
 * LoRA-GA are converted to plain LoRA of rank 2r on the unmodified base, LoRA-XS and LoRA-SB have
 * R folded into B, DoRA is written with {@code use_dora} and its magnitude vectors (PeftExport); the trained head is saved under {@code modules_to_save} by its
 * transformers keys ({@code base_model.model.classifier.*}, and {@code base_model.model.bert.pooler.*}
 * when the pooler was drawn fresh and trained). Full fine-tuning writes every tensor of the task
 * model as {@code model.safetensors} instead, under the keys transformers loads.
 */
public final class AdapterFolder {
  public static final String CONFIG = "adapter_config.json";
  public static final String WEIGHTS = "adapter_model.safetensors";

  private AdapterFolder() {}

  /**
   * @param head trained head tensors as the sequence classifier names them ({@code classifier.weight},
   *     {@code pooler.dense.weight}, ...), may be empty
   * @param baseModel what transformers loads the base from (PEFT's {@code base_model_name_or_path})
   * @param fullWeights for full fine-tuning: every trained model tensor by name; else ignored
   */
  public static void write(Path dir, MethodConfig<?> o, AdapterFactory factory, Session session, ModelConfig config,
      String baseModel, Map<String, FloatTensor> head, Map<String, FloatTensor> fullWeights) throws IOException {
    Files.createDirectories(dir);
    String prefix = config.architecture().peftModulePrefix();
    Map<String, FloatTensor> headByKey = new LinkedHashMap<>();
    head.forEach((k, v) -> headByKey.put(ClassifierHead.taskModelKey(k, prefix), v));
    if (o.trainsWholeModel()) {
      Map<String, FloatTensor> all = new LinkedHashMap<>();
      fullWeights.forEach((k, v) -> all.put(prefix + k, v));
      all.putAll(headByKey);
      SafetensorsWriter.write(dir.resolve("model.safetensors"), all, Map.of("format", "pt"));
      return;
    }
    // PEFT matches modules_to_save by module name (peft/utils/other.py _set_trainable: key.endswith)
    // and saves a wrapped module's tensors under the module's own key (save_and_load.py
    // get_peft_model_state_dict drops "modules_to_save.<adapter>"), so "pooler" saves
    // base_model.model.bert.pooler.dense.weight
    List<String> modules = new ArrayList<>();
    head.keySet().forEach(k -> {
      String m = k.substring(0, k.indexOf('.'));
      if (!modules.contains(m)) {
        modules.add(m);
      }
    });
    PeftAdapter a = PeftExport.export(o, factory.targetModules(), factory.snapshot(session),
        new PeftExport.Info(prefix, config.architecture().headKind().peftTaskType(), baseModel,
            modules.isEmpty() ? null : modules));
    Map<String, FloatTensor> tensors = new LinkedHashMap<>(a.tensors());
    headByKey.forEach((k, v) -> tensors.put("base_model.model." + k, v));
    SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(CONFIG), JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(a.config()) + "\n");
  }
}
