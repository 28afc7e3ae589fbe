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
    return merged(w0, loraA, loraB, null, scaling(r, alpha, rslora));
  }

  /**
   * The DoRA weight {@code m / ||W + s·B·A||_row ⊙ (W + s·B·A)}, each row i scaled by
   * {@code m_i / ||row i||}: PEFT's merge (tuners/lora/variants.py DoraLinearVariant.merge_safe
   * L170-188, with the norm of dora.py get_weight_norm L86-91 over dim 1, the input dimension).
   */
  public static FloatTensor dora(FloatTensor w, FloatTensor a, FloatTensor b, FloatTensor magnitude, double s) {
    Matrix v = Matrix.of(w).plus(Matrix.of(b).mul(Matrix.of(a)).scale(s));
    double[] factor = v.rowNorms();
    for (int i = 0; i < v.rows; i++) {
      factor[i] = magnitude.data()[i] / factor[i];
    }
    return v.scaleRows(factor).toFloat();
  }

  /** A PEFT DoRA adapter ({@code use_dora: true}) applied to a base weight, s' from r, alpha, use_rslora. */
  public static FloatTensor applyPeftDora(FloatTensor w0, FloatTensor loraA, FloatTensor loraB, FloatTensor magnitude, int r,
      double alpha, boolean rslora) {
    return dora(w0, loraA, loraB, magnitude, scaling(r, alpha, rslora));
  }

  /** PEFT's scaling (tuners/lora/layer.py update_layer): alpha / r, or alpha / sqrt(r) under use_rslora. */
  private static double scaling(int r, double alpha, boolean rslora) {
    return rslora ? alpha / Math.sqrt(r) : alpha / r;
  }
}
