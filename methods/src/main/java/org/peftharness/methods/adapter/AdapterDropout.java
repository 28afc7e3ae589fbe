package org.peftharness.methods.adapter;

import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * Dropout on the adapter input only (PEFT: {@code lora_dropout} before A; the base path sees the
 * undropped x). The harness supplies the implementation (training flag, seeded masks from its
 * {@code dropout} stream); the factory calls it only when the rate is above 0, and uses the
 * identity otherwise.
 */
public interface AdapterDropout {
  <T extends TNumber> Operand<T> apply(LinearSite site, Nn<T> nn, Operand<T> x, double rate);

  AdapterDropout IDENTITY = new AdapterDropout() {
    @Override
    public <T extends TNumber> Operand<T> apply(LinearSite site, Nn<T> nn, Operand<T> x, double rate) {
      return x;
    }
  };
}
