package org.peftharness.model.graph;

import org.peftharness.methods.graph.Nn;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** An MLP's elementwise nonlinearity, as transformers' ACT2FN names it in {@code hidden_act}. */
public interface Activation {
  /** SiLU, {@code x * sigmoid(x)} (transformers activations.py SiLUActivation / torch silu). */
  Activation SILU = Nn::silu;
  /** Exact erf GELU (transformers activations.py GELUActivation). */
  Activation GELU = Nn::gelu;
  /** GELU's tanh approximation (transformers activations.py PytorchGELUTanh, "gelu_pytorch_tanh"). */
  Activation GELU_TANH = Nn::geluTanh;

  <T extends TNumber> Operand<T> apply(Nn<T> nn, Operand<T> x);
}
