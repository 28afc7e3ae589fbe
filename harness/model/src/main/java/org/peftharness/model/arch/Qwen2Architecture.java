package org.peftharness.model.arch;

import java.util.List;
import java.util.Set;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.SlidingWindow;
import org.peftharness.model.graph.DecoderBlueprint;

/**
 * Qwen2 (and Qwen2.5) as transformers' Qwen2ForCausalLM computes it: Llama with biases on the
 * query, key and value projections, not the output projection (modeling_qwen2.py Qwen2Attention),
 * and sliding-window attention only when {@code use_sliding_window} is set, then on the layers
 * from {@code max_window_layers} on (configuration_qwen2.py: {@code sliding_window} is None
 * unless use_sliding_window; layer_types marks layer i sliding iff i >= max_window_layers).
 */
public final class Qwen2Architecture extends LlamaArchitecture {
  /** Qwen2Config's defaults for an absent window and window-layer count. */
  private static final int DEFAULT_WINDOW = 4096;
  private static final int DEFAULT_MAX_WINDOW_LAYERS = 28;

  @Override
  public String name() {
    return "Qwen2";
  }

  @Override
  public String summary() {
    return "decoder: Llama with q/k/v biases; optional sliding window on upper layers; causal LM head";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("qwen2");
  }

  @Override
  protected DecoderBlueprint.Variant variant(ModelConfig config) {
    return new DecoderBlueprint.Variant(mlpActivation(), DecoderBlueprint.RmsNormKind.WEIGHT, false, true, false);
  }

  @Override
  protected int defaultMaxPositions() {
    return 32768;
  }

  @Override
  protected Set<String> implementedKeys() {
    return Set.of("use_sliding_window", "layer_types");
  }

  @Override
  protected SlidingWindow slidingWindow(JsonDocument doc, String modelType, int layers) {
    if (!doc.optBoolean("use_sliding_window").orElse(false)) {
      return null;
    }
    int window = doc.has("sliding_window") ? doc.positiveInt("sliding_window") : DEFAULT_WINDOW;
    if (doc.has("layer_types")) {
      return new SlidingWindow(window, ConfigKeys.slidingLayers(doc, layers));
    }
    int first = doc.optInt("max_window_layers").orElse(DEFAULT_MAX_WINDOW_LAYERS);
    if (first < 0) {
      throw doc.error("max_window_layers", "must not be negative, got " + first);
    }
    return SlidingWindow.fromLayer(window, Math.min(first, layers), layers);
  }
}
