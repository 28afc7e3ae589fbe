package org.peftharness.model;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Sliding-window attention: on the listed layers a query attends only to the last {@code tokens}
 * positions, its own included: query i sees key j iff {@code i - tokens < j <= i}
 * (transformers masking_utils.py sliding_window_overlay: {@code kv_idx > q_idx - sliding_window}).
 * The other layers attend causally to everything before them.
 *
 * @param tokens the window W
 * @param layers the indices of the layers that slide, ascending
 */
public record SlidingWindow(int tokens, List<Integer> layers) {
  public SlidingWindow {
    if (tokens <= 0) {
      throw new IllegalArgumentException("a sliding window must be positive, got " + tokens);
    }
    layers = List.copyOf(layers);
  }

  /** Every one of {@code numLayers} layers slides (Mistral). */
  public static SlidingWindow everyLayer(int tokens, int numLayers) {
    return fromLayer(tokens, 0, numLayers);
  }

  /** Layers {@code first..numLayers-1} slide (Qwen2's {@code max_window_layers}). */
  public static SlidingWindow fromLayer(int tokens, int first, int numLayers) {
    return new SlidingWindow(tokens, IntStream.range(first, numLayers).boxed().toList());
  }

  public boolean slides(int layer) {
    return layers.contains(layer);
  }
}
