package org.peftharness.methods.adapter;

import org.peftharness.methods.Role;
import org.peftharness.methods.options.AdapterOptions;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.family.TNumber;

/**
 * The low-rank site of LoRA and its relatives: {@code y = x Wᵀ + b + s·(dropout(x) Aᵀ) Bᵀ}, exactly
 * PEFT's forward (tuners/lora/layer.py, Linear.forward), with {@code lora_A} (r×n) and
 * {@code lora_B} (m×r). W is W0, or W_res for a method with a residual base.
 */
public final class LowRankSite {
  private LowRankSite() {}

  /** @param residual whether the method replaces W0 by a residual at init (PiSSA, LoRA-GA) */
  public static <T extends TNumber> Operand<T> build(SiteBuilder<T> s, AdapterOptions o, boolean residual) {
    s.claimWeight(residual);
    Variable<T> a = s.declare(Role.A, ".lora_A", o.rank(), s.site().inFeatures());
    Variable<T> b = s.declare(Role.B, ".lora_B", s.site().outFeatures(), o.rank());
    return forward(s, o, a, null, b);
  }

  /** {@code x Wᵀ + b + s·((dropout(x) Aᵀ) Rᵀ) Bᵀ}, with the R product left out where {@code r} is null. */
  static <T extends TNumber> Operand<T> forward(SiteBuilder<T> s, AdapterOptions o, Operand<T> a, Operand<T> r, Operand<T> b) {
    Operand<T> base = s.base();
    Operand<T> h = s.adapterInput(o.dropout());
    h = s.nn().tf.linalg.matMul(h, a, MatMul.transposeB(true));
    if (r != null) {
      h = s.nn().tf.linalg.matMul(h, r, MatMul.transposeB(true));
    }
    h = s.nn().tf.linalg.matMul(h, b, MatMul.transposeB(true));
    return s.nn().tf.math.add(base, s.nn().tf.math.mul(h, s.nn().scalar(o.scaling())));
  }
}
