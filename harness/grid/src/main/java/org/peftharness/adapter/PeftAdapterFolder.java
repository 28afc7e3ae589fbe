package org.peftharness.adapter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.results.Hashes;

/**
 * A PEFT LoRA adapter folder as {@code save_pretrained} writes it: {@code adapter_config.json} and
 * {@code adapter_model.safetensors}, every tensor by its saved key (adapter name removed, as
 * peft/utils/save_and_load.py get_peft_model_state_dict leaves it). The weights are read whole
 * (F32, F16, BF16 and F64 widened or narrowed to float32); {@code adapter_model.bin} is a pickle
 * and is never read.
 *
 * @param configSha256 SHA-256 of adapter_config.json, for provenance
 * @param weightsSha256 SHA-256 of adapter_model.safetensors, for provenance
 */
public record PeftAdapterFolder(Path dir, PeftLoraConfig config, Map<String, FloatTensor> tensors, String configSha256,
    String weightsSha256) {
  public static final String CONFIG = "adapter_config.json";
  public static final String WEIGHTS = "adapter_model.safetensors";
  public static final String PICKLE = "adapter_model.bin";

  public static PeftAdapterFolder read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(dir, null, "not a folder (expected a PEFT adapter folder with " + CONFIG + ")");
    }
    Path weights = dir.resolve(WEIGHTS);
    if (!Files.isRegularFile(weights)) {
      throw new InvalidInputException(dir, null, Files.isRegularFile(dir.resolve(PICKLE))
          ? PICKLE + " is a pickle file, which the harness does not read (unpickling runs code); "
              + "save the adapter with safe_serialization=True to get " + WEIGHTS
          : WEIGHTS + " is missing");
    }
    Path configFile = dir.resolve(CONFIG);
    PeftLoraConfig config = PeftLoraConfig.read(configFile);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(weights)) {
      for (String name : f.names()) {
        tensors.put(name, f.readFloat(name));
      }
    }
    return new PeftAdapterFolder(dir, config, Map.copyOf(tensors), Hashes.sha256(configFile), Hashes.sha256(weights));
  }

  /** An error about one tensor of the weights file. */
  public InvalidInputException tensorError(String key, String problem) {
    return new InvalidInputException(dir.resolve(WEIGHTS), 0, key, problem);
  }
}
