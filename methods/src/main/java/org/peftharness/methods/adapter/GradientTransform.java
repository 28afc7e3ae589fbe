package org.peftharness.methods.adapter;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * A change a method makes on the optimizer side: a variable's (clipped) gradient is replaced
 * before the Adam moments see it, and the optimizer's epsilon may be the method's own (PEFT's
 * LoRA-FA optimizer, peft/optimizers/lorafa.py).
 */
public interface GradientTransform {
  /** The Adam epsilon to use, given the configured one. */
  double adamEpsilon(double configured);

  /** The gradient to hand to the optimizer for the variable of that name. */
  <T extends TNumber> Operand<T> apply(String variable, Operand<T> gradient);
}
