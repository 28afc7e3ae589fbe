package org.peftharness.methods.init;

import org.peftharness.methods.linalg.Matrix;

/**
 * The residual base of PiSSA and LoRA-GA: W_res = W0 − s·B0·A0 in float64, so that the adapted
 * model W_res + s·B·A starts at W0 (PEFT tuners/lora/layer.py pissa_init; the LoRA-GA fork does the same).
 */
public final class Residual {
  private Residual() {}

  /** The site's init: A, B and W_res, each rounded to float32 once. */
  public static SiteInit of(Matrix w0, Matrix a, Matrix b, double scaling) {
    Matrix res = w0.minus(b.mul(a).scale(scaling));
    return SiteInit.of(a.toFloat(), b.toFloat(), null, res.toFloat());
  }
}
