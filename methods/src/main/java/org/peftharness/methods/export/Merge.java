package org.peftharness.methods.export;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.linalg.Matrix;

/** Merged weights (host math in float64, rounded once). */
public final class Merge {
  private Merge() {}

  /**
   * {@code W + s·B·(R)·A}; {@code r} may be null: the effective weight of a low-rank site (W0 or
   * W_res) or a latent one.
   */
  public static FloatTensor merged(FloatTensor w, FloatTensor a, FloatTensor b, FloatTensor r, double s) {
    Matrix bm = Matrix.of(b);
    if (r != null) {
      bm = bm.mul(Matrix.of(r));
    }
    return Matrix.of(w).plus(bm.mul(Matrix.of(a)).scale(s)).toFloat();
  }

  /** A PEFT LoRA adapter applied to a base weight: {@code W0 + s'·lora_B·lora_A}, s' from r, alpha, use_rslora. */
  public static FloatTensor applyPeft(FloatTensor w0, FloatTensor loraA, FloatTensor loraB, int r, double alpha, boolean rslora) {
    double s = rslora ? alpha / Math.sqrt(r) : alpha / r;
    return merged(w0, loraA, loraB, null, s);
  }
}
