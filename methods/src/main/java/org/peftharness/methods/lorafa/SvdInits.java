package org.peftharness.methods.lorafa;

import java.util.Arrays;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.init.Residual;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;

/**
 * The two SVD starts of LoRA-FA, from the exact float64 SVD {@code W0 = U diag(S) Vh} of
 * {@link Svd#exact}, whose sign convention makes them unique: u_i and v_i are flipped together so
 * that the entry of largest magnitude of every left singular vector u_i is positive.
 */
public final class SvdInits {
  private SvdInits() {}

  /**
   * The seed project's init exactly as its code computes it (shredder67/svd-lorafa lora/model.py
   * at 7b38b37, LoRAParametrization._init_AB L51-56: {@code u, s, v = torch.linalg.svd(W)};
   * {@code lora_A = (u[:, :r] * s[:r]).T}; {@code lora_B = v[:, :r]}). torch's third result is
   * Vh = Vᵀ, so B's column k holds the k-th entry of every right singular vector, and B's row i
   * is the first r entries of v_i: the start {@code W0 + s·B·A = W0 + s·Σ_{k<r} Vh[:, k] σ_k u_kᵀ}
   * is neither W0 nor a low-rank part of it, and it depends on the sign of every one of the n
   * singular triplets (not only the first r), so it needs the full SVD and the convention above;
   * torch's LAPACK signs are implementation-defined. Defined for square W only (A must be r×n and
   * B m×r); no residual, so the model moves at step 0.
   */
  public static SiteInit seedSvd(FloatTensor w0, int r) {
    Matrix w = Matrix.of(w0);
    int n = w.cols;
    Svd.Result svd = Svd.exact(w, n);
    int[] first = new int[r];
    for (int k = 0; k < r; k++) {
      first[k] = k;
    }
    Matrix a = svd.u().columns(first).scaleCols(Arrays.copyOf(svd.s(), r)).transpose();
    Matrix b = svd.vt().columns(first);
    return SiteInit.of(a.toFloat(), b.toFloat(), null, null);
  }

  /**
   * The init the seed project evidently intended, PiSSA-style: {@code A = diag(√S_r) Vh[:r]},
   * {@code B = U[:, :r] diag(√S_r)} from the exact SVD truncated to r, and the residual base
   * {@code W_res = W0 − s·B·A} (float64, rounded once), so the model starts at W0 up to float32
   * rounding. Unlike PiSSA (PEFT pissa_init), S_r is not divided by s, so the adapter carries
   * s·U_r S_r V_rᵀ; the two coincide at s = 1 (alpha = r).
   */
  public static SiteInit svdResidual(FloatTensor w0, int r, double scaling) {
    Matrix w = Matrix.of(w0);
    Svd.Result svd = Svd.exact(w, r);
    double[] root = new double[r];
    for (int k = 0; k < r; k++) {
      root[k] = Math.sqrt(svd.s()[k]);
    }
    return Residual.of(w, svd.vt().scaleRows(root), svd.u().scaleCols(root), scaling);
  }
}
