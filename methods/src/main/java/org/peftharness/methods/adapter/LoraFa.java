package org.peftharness.methods.adapter;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;

/**
 * What PEFT's LoRA-FA optimizer needs (peft/optimizers/lorafa.py): A frozen, and
 * {@code g̃_B = (1/s²) · g_B · pinv(A Aᵀ + 1e-8·I_r)} fed to AdamW with betas (0.9, 0.999),
 * eps 1e-6, bias correction, decoupled weight decay {@code B ← B − lr·wd·B} after the step.
 * Since A never changes, the r×r factor is a constant computed once at initialisation.
 */
public final class LoraFa {
  public static final double RIDGE = 1e-8;
  public static final double ADAM_EPS = 1e-6;

  private LoraFa() {}

  /** {@code pinv(A Aᵀ + 1e-8·I) / s²} in float64 (pinv by SVD with torch's default cutoff), rounded to float32. */
  public static FloatTensor preconditioner(FloatTensor a, double scaling) {
    Matrix am = Matrix.of(a);
    int r = am.rows;
    Matrix gram = am.mul(am.transpose()).plus(Matrix.identity(r).scale(RIDGE));
    Svd.Result svd = Svd.exact(gram, r);
    double cutoff = r * 1.1920928955078125e-7 * svd.s()[0];
    double[] inv = new double[r];
    for (int i = 0; i < r; i++) {
      inv[i] = svd.s()[i] > cutoff ? 1.0 / svd.s()[i] : 0.0;
    }
    Matrix pinv = svd.v().scaleCols(inv).mul(svd.u().transpose());
    return pinv.scale(1.0 / (scaling * scaling)).toFloat();
  }
}
