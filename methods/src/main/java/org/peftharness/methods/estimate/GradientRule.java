package org.peftharness.methods.estimate;

/** How a gradient pre-pass combines its per-batch gradients of W0. */
public enum GradientRule {
  /**
   * LoRA-GA: mean of the per-batch gradients of the batch-mean loss, over the first
   * {@code samples} training examples in order (no shuffle).
   */
  AVERAGED,
  /**
   * LoRA-SB: sum over shuffled batches of the gradients of (batch-mean loss / batch size); the
   * method then takes {@code -eta_eff · sign(sum)} as its update estimate.
   */
  SUMMED
}
