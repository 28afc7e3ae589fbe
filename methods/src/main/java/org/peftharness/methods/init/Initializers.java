package org.peftharness.methods.init;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Method;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;

/**
 * The initialisation math of every method for one m×n matrix, on host tensors in float64 (rounded
 * to float32 once at the end). Section numbers refer to the project's METHODS.md.
 */
public final class Initializers {
  /** LoRA-XS: R ~ N(0, sigma²), sigma = 1e-5 (XS initialization_utils.py L115–116). */
  public static final double LORA_XS_R_STD = 1e-5;

  private Initializers() {}

  public static SiteInit initialize(MethodOptions o, InitInputs in) {
    Method m = o.method();
    long rows = in.w0().dim(0);
    long cols = in.w0().dim(1);
    o.checkShape(in.module(), rows, cols);
    switch (m.name()) {
      case MethodRegistry.FULL:
        return new SiteInit(null, null, null, null);
      case MethodRegistry.LORA:
      case MethodRegistry.LORA_FA:
        return kaiming((int) rows, (int) cols, o.rank(), in.random());
      case MethodRegistry.PISSA:
        return pissa(o, in);
      case MethodRegistry.LORA_XS:
        return loraXs(o, in);
      case MethodRegistry.LORA_GA:
        return loraGa(o, in);
      case MethodRegistry.LORA_SB:
        return loraSb(o, in);
      default:
        throw new IllegalStateException("no initialisation for method " + m.name());
    }
  }

  /**
   * PEFT's default (METHODS.md 1): A ~ kaiming_uniform(a = √5) = U(−1/√n, 1/√n) drawn row by row
   * from the site's stream, B = 0.
   */
  public static SiteInit kaiming(int m, int n, int r, SplittableRandom rng) {
    double bound = 1.0 / Math.sqrt(n);
    float[] a = new float[r * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (bound * (2 * rng.nextDouble() - 1));
    }
    return new SiteInit(new FloatTensor(new long[] {r, n}, a), FloatTensor.zeros(m, r), null, null);
  }

  /**
   * PiSSA (METHODS.md 4, PEFT {@code pissa_init}): W0 = U Σ Vᵀ, Σ̃ = Σ_r / s,
   * A = diag(√Σ̃) V_rᵀ, B = U_r diag(√Σ̃), W_res = W0 − s·B·A.
   */
  static SiteInit pissa(MethodOptions o, InitInputs in) {
    Matrix w0 = Matrix.of(in.w0());
    int r = o.rank();
    double s = o.scaling();
    Svd.Result svd = Svd.compute(w0, r, o.svd(), in.svdRandom());
    double[] root = new double[r];
    for (int i = 0; i < r; i++) {
      root[i] = Math.sqrt(svd.s()[i] / s);
    }
    Matrix a = svd.vt().scaleRows(root);
    Matrix b = svd.u().scaleCols(root);
    Matrix res = w0.minus(b.mul(a).scale(s));
    return new SiteInit(a.toFloat(), b.toFloat(), null, res.toFloat());
  }

  /**
   * LoRA-XS (METHODS.md 7): truncated SVD of W0; B = U_r, A = Σ_r V_rᵀ (both frozen),
   * R ~ N(0, 1e-10) (σ = 1e-5) from the site's stream; W0 unchanged.
   */
  static SiteInit loraXs(MethodOptions o, InitInputs in) {
    Matrix w0 = Matrix.of(in.w0());
    int r = o.rank();
    Svd.Result svd = Svd.compute(w0, r, o.svd(), in.svdRandom());
    Matrix b = svd.u();
    Matrix a = svd.vt().scaleRows(svd.s());
    float[] rr = new float[r * r];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = (float) (LORA_XS_R_STD * in.random().nextGaussian());
    }
    return new SiteInit(a.toFloat(), b.toFloat(), new FloatTensor(new long[] {r, r}, rr), null);
  }

  /**
   * LoRA-GA, the authors' fork (METHODS.md 5.2): SVD of the averaged gradient G = U S Vh; the
   * direction picks rows of Vh for A and columns of U for B (default ArB2r: A = Vh[0:r],
   * B = U[:, r:2r]); the scale multiplies both (default stable: c = m^¼/√γ, m = out features);
   * singular values of G are not used; W_res = W0 − s·B·A.
   */
  static SiteInit loraGa(MethodOptions o, InitInputs in) {
    Matrix w0 = Matrix.of(in.w0());
    Matrix g = gradient(in);
    int r = o.rank();
    double s = o.scaling();
    Svd.Result svd = Svd.compute(g, 2 * r, o.svd(), in.svdRandom());
    int[] ia;
    int[] ib;
    switch (o.direction()) {
      case ArB2r:
        ia = range(0, r, 1);
        ib = range(r, 2 * r, 1);
        break;
      case A2rBr:
        ia = range(r, 2 * r, 1);
        ib = range(0, r, 1);
        break;
      case ArBr:
        ia = range(1, 2 * r, 2);
        ib = range(0, 2 * r, 2);
        break;
      case RANDOM: {
        // random.sample(range(2r), 2r): a random order; the first r for A, the rest for B
        int[] perm = range(0, 2 * r, 1);
        SplittableRandom rng = in.random();
        for (int i = perm.length - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
        ia = Arrays.copyOfRange(perm, 0, r);
        ib = Arrays.copyOfRange(perm, r, 2 * r);
        break;
      }
      default:
        throw new IllegalStateException(o.direction().toString());
    }
    Matrix a = svd.vt().rowsAt(ia);
    Matrix b = svd.u().columns(ib);
    long m = w0.rows;
    switch (o.scale()) {
      case STABLE: {
        double c = Math.pow(m, 0.25) / Math.sqrt(o.stableGamma());
        a = a.scale(c);
        b = b.scale(c);
        break;
      }
      case GD:
        a = a.scale(1 / s);
        b = b.scale(1 / s);
        break;
      case UNIT:
        break;
      case WEIGHT_S: {
        Svd.Result sw = Svd.compute(w0, r, o.svd(), in.svdRandom());
        double c = 0;
        for (int i = 0; i < r; i++) {
          c += Math.sqrt(sw.s()[i] / s);
        }
        c /= r;
        a = a.scale(c);
        b = b.scale(c);
        break;
      }
      default:
        throw new IllegalStateException(o.scale().toString());
    }
    Matrix res = w0.minus(b.mul(a).scale(s));
    return new SiteInit(a.toFloat(), b.toFloat(), null, res.toFloat());
  }

  /**
   * LoRA-SB (METHODS.md 8.2): update estimate Ĝ = −η_eff·sign(G) of the summed gradient G;
   * truncated SVD Ĝ ≈ U_r Σ_r V_rᵀ; B = U_r, A = V_rᵀ (frozen), R = diag(Σ_r) (trainable);
   * W0 unchanged, so the model starts at W0 + s·B·R·A = W0 + Ĝ_r (s = 1).
   */
  static SiteInit loraSb(MethodOptions o, InitInputs in) {
    Matrix g = gradient(in);
    if (!(in.etaEff() > 0) || Double.isInfinite(in.etaEff())) {
      throw new InvalidInputException((String) null, 0, "eta_eff", "lora-sb needs a positive effective learning rate "
          + "(lr / (warmup_ratio x estimation steps)), got " + in.etaEff());
    }
    Matrix update = updateEstimate(g, in.etaEff());
    Svd.Result svd = Svd.compute(update, o.rank(), o.svd(), in.svdRandom());
    return new SiteInit(svd.vt().toFloat(), svd.u().toFloat(), Matrix.diag(svd.s()).toFloat(), null);
  }

  /** LoRA-SB's Ĝ = −η_eff·sign(G), with sign(0) = 0. */
  public static Matrix updateEstimate(Matrix g, double etaEff) {
    Matrix u = Matrix.zeros(g.rows, g.cols);
    for (int i = 0; i < g.a.length; i++) {
      u.a[i] = -etaEff * Math.signum(g.a[i]);
    }
    return u;
  }

  private static Matrix gradient(InitInputs in) {
    if (in.gradient() == null) {
      throw new InvalidInputException((String) null, 0, "gradient", "the method needs an estimated gradient of " + in.module()
          + " and none was given");
    }
    if (!Arrays.equals(in.gradient().shape(), in.w0().shape())) {
      throw new InvalidInputException((String) null, 0, "gradient", "the gradient of " + in.module() + " has shape "
          + Arrays.toString(in.gradient().shape()) + " but the weight has " + Arrays.toString(in.w0().shape()));
    }
    return Matrix.of(in.gradient());
  }

  private static int[] range(int from, int to, int step) {
    int[] r = new int[(to - from + step - 1) / step];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i * step;
    }
    return r;
  }
}
