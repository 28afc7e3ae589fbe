package org.peftharness.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.model.arch.BertArchitecture;
import org.peftharness.model.arch.Gemma2Architecture;
import org.peftharness.model.arch.GemmaArchitecture;
import org.peftharness.model.arch.LlamaArchitecture;
import org.peftharness.model.arch.Qwen2Architecture;
import org.peftharness.model.arch.RobertaArchitecture;
import org.peftharness.tasks.spec.TaskKind;

/**
 * The architectures by Hugging Face {@code model_type}: the one list of what the harness can
 * build. A registry is immutable; {@link #with} gives a larger one (a test's throwaway family)
 * without touching the built-in list.
 */
public final class ArchitectureRegistry {
  /** The families the harness ships. */
  public static final ArchitectureRegistry BUILT_IN =
      new ArchitectureRegistry(List.of(new BertArchitecture(), new RobertaArchitecture(), new LlamaArchitecture(),
          new Qwen2Architecture(), new GemmaArchitecture(), new Gemma2Architecture()));

  private final List<Architecture> architectures;
  private final Map<String, Architecture> byType = new LinkedHashMap<>();

  private ArchitectureRegistry(List<Architecture> architectures) {
    this.architectures = List.copyOf(architectures);
    for (Architecture a : this.architectures) {
      if ((a.headKind() == HeadKind.SEQUENCE_CLASSIFICATION) != a.classifierHead().isPresent()) {
        throw new IllegalArgumentException(a.name() + ": an encoder head kind needs a classifier head, a causal LM none");
      }
      for (String type : a.modelTypes()) {
        Architecture clash = byType.putIfAbsent(type, a);
        if (clash != null) {
          throw new IllegalArgumentException("model_type '" + type + "' claimed by " + clash.name() + " and " + a.name());
        }
      }
    }
  }

  /** This registry plus {@code more}. */
  public ArchitectureRegistry with(Architecture... more) {
    List<Architecture> all = new ArrayList<>(architectures);
    Collections.addAll(all, more);
    return new ArchitectureRegistry(all);
  }

  public List<Architecture> all() {
    return architectures;
  }

  /** Every supported {@code model_type}, sorted. */
  public List<String> modelTypes() {
    return List.copyOf(new TreeSet<>(byType.keySet()));
  }

  /** The model types whose head can run a task of this kind, sorted. */
  public List<String> modelTypesServing(TaskKind kind) {
    return List.copyOf(new TreeSet<>(byType.entrySet().stream()
        .filter(e -> e.getValue().headKind().serves(kind)).map(Map.Entry::getKey).toList()));
  }

  /** Reads a config.json with the architecture its {@code model_type} names. */
  public ModelConfig readConfig(Path configJson) {
    return readConfig(JsonDocument.read(configJson));
  }

  public ModelConfig readConfig(JsonDocument doc) {
    String type = doc.requireString("model_type").toLowerCase(Locale.ROOT);
    Architecture a = byType.get(type);
    if (a == null) {
      throw doc.error("model_type", unsupported(type));
    }
    return a.readConfig(doc, type);
  }

  /** The architecture of a {@code model_type}; an unknown type is an input error listing the supported ones. */
  public Architecture get(String modelType) {
    Architecture a = byType.get(modelType.toLowerCase(Locale.ROOT));
    if (a == null) {
      throw new InvalidInputException((String) null, 0, "model_type", unsupported(modelType));
    }
    return a;
  }

  private String unsupported(String type) {
    return "unsupported model type '" + type + "' (supported: " + String.join(", ", modelTypes()) + ")";
  }
}
