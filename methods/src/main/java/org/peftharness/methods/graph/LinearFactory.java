package org.peftharness.methods.graph;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * Builds the output of one linear map. The plain factory computes {@code x W^T + b}; a fine-tuning
 * method supplies its own to add adapters around the frozen weight.
 */
@FunctionalInterface
public interface LinearFactory {
  <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Operand<T> bias);

  LinearFactory PLAIN = new LinearFactory() {
    @Override
    public <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Operand<T> bias) {
      return nn.linear(x, weight, bias);
    }
  };
}
