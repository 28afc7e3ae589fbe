package org.peftharness.methods.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TNumber;

/**
 * Builds the output of one linear map. The plain factory computes {@code x W^T + b}; a fine-tuning
 * method supplies its own to add adapters around the frozen weight.
 */
@FunctionalInterface
public interface LinearFactory {
  /**
   * @param weight the weight as the graph computes with it, in {@code T}
   * @param stored the variable it is stored in: {@code weight} itself, or the bfloat16 variable
   *     {@code weight} is a view of (a bf16 model's frozen weight; a residual is written there);
   *     null for a constant weight
   */
  <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Variable<?> stored,
      Operand<T> bias);

  /** A map whose weight is stored as itself, in {@code T} (a variable, or a constant nothing writes to). */
  default <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Operand<T> bias) {
    return build(site, nn, x, weight, weight instanceof Variable<?> v ? v : null, bias);
  }

  /** Whether the optimizer trains the model's own weights (full fine-tuning): they then keep a master copy in {@code T}. */
  default boolean trainsBaseWeights() {
    return false;
  }

  LinearFactory PLAIN = new LinearFactory() {
    @Override
    public <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Variable<?> stored,
        Operand<T> bias) {
      return nn.linear(x, weight, bias);
    }
  };
}
