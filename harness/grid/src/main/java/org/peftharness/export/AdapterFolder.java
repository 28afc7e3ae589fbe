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
import org.peftharness.model.ModelConfig;
import org.peftharness.results.AtomicFiles;
import org.tensorflow.Session;

/**
 * Writes a trained adapter as the folder stock PEFT loads on the original base model:
 * {@code adapter_config.json} and {@code adapter_model.safetensors} with PEFT's key names. PiSSA and
 * LoRA-GA are converted to plain LoRA of rank 2r on the unmodified base, LoRA-XS and LoRA-SB have
 * R folded into B (PeftExport); a trained classifier head is saved under {@code modules_to_save}
 * as {@code base_model.model.classifier.*}. Full fine-tuning writes the changed weights as
 * {@code model.safetensors} instead.
 */
public final class AdapterFolder {
  public static final String CONFIG = "adapter_config.json";
  public static final String WEIGHTS = "adapter_model.safetensors";

  private AdapterFolder() {}

  /**
   * @param head trained head tensors by their transformers names ({@code classifier.weight}, ...), may be empty
   * @param fullWeights for full fine-tuning: every trained model tensor by name; else ignored
   */
  public static void write(Path dir, MethodConfig<?> o, AdapterFactory factory, Session session, ModelConfig config,
      String baseModel, Map<String, FloatTensor> head, Map<String, FloatTensor> fullWeights) throws IOException {
    Files.createDirectories(dir);
    String prefix = config.architecture().peftModulePrefix();
    if (o.trainsWholeModel()) {
      Map<String, FloatTensor> all = new LinkedHashMap<>();
      fullWeights.forEach((k, v) -> all.put(prefix + k, v));
      all.putAll(head);
      SafetensorsWriter.write(dir.resolve("model.safetensors"), all, Map.of("format", "pt"));
      return;
    }
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
    head.forEach((k, v) -> tensors.put("base_model.model." + k, v));
    SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
    AtomicFiles.write(dir.resolve(CONFIG), JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(a.config()) + "\n");
  }
}
