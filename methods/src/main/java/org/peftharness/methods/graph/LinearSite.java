package org.peftharness.methods.graph;

/**
 * One linear map of a model that a fine-tuning method may adapt: its PyTorch module path
 * ({@code encoder.layer.0.attention.self.query}), layer index, the module's short name (the
 * target-module suffix PEFT matches, e.g. {@code query} or {@code q_proj}) and its shape.
 */
public record LinearSite(String module, int layer, String shortName, long outFeatures, long inFeatures) {
  public String weightName() {
    return module + ".weight";
  }

  public String biasName() {
    return module + ".bias";
  }
}
