package org.peftharness.model.graph;

/** A normalisation's tensors: {@code module.weight} and, for LayerNorm, {@code module.bias}, each of one width. */
public record NormSpec(String module, long width, boolean bias) {

  public String weightName() {
    return module + ".weight";
  }

  public String biasName() {
    return module + ".bias";
  }

  public long parameters() {
    return bias ? 2 * width : width;
  }
}
