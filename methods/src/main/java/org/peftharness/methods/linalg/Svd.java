package org.peftharness.methods.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat64;

/**
 * Truncated singular value decompositions for the data-dependent initialisations.
 *
 * <p>Why TensorFlow (an {@link EagerSession}, float64) and not a Java linear-algebra library: the
 * project already ships TensorFlow's native library, whose SVD (Eigen) is exact to float64
 * rounding, deterministic on CPU and fast (LAPACK-class speed, multi-threaded), so no further
 * dependency is needed; a pure-Java SVD would be orders of magnitude slower on 4096-wide weights.
 *
 * <p>Every result follows one sign convention: u_i and v_i are flipped together so that the entry
 * of largest magnitude in u_i is positive (ties: the first such entry). This makes PiSSA, LoRA-XS,
 * LoRA-GA and LoRA-SB initialisations unique.
 */
public final class Svd {
  private Svd() {}

  /** {@code M ≈ U diag(s) Vᵀ} truncated to k triplets: U is m×k, s has k values (descending), V is n×k. */
  public record Result(Matrix u, double[] s, Matrix v) {
    public int k() {
      return s.length;
    }

    /** Vᵀ (k×n), i.e. PyTorch's {@code Vh}. */
    public Matrix vt() {
      return v.transpose();
    }
  }

  /** How the decomposition is computed. */
  public record Options(boolean randomized, int niter, int oversample) {
    public static final Options EXACT = new Options(false, 0, 0);
  }

  public static Result compute(Matrix m, int k, Options opts, SplittableRandom rng) {
    return opts.randomized() ? randomized(m, k, opts.oversample(), opts.niter(), rng) : exact(m, k);
  }

  /** Exact thin SVD (float64), keeping the top k triplets. */
  public static Result exact(Matrix m, int k) {
    checkK(m, k);
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      org.tensorflow.op.linalg.Svd<TFloat64> svd =
          tf.linalg.svd(constant(tf, m), org.tensorflow.op.linalg.Svd.fullMatrices(false));
      double[] s = values(svd.s());
      Matrix u = toMatrix(svd.u());
      Matrix v = toMatrix(svd.v());
      return truncate(u, s, v, k);
    }
  }

  /**
   * Randomized SVD (Halko, Martinsson and Tropp; the algorithm of {@code torch.svd_lowrank}) with
   * q = min(k + oversample, min(m, n)) columns, niter subspace (power) iterations with
   * re-orthonormalisation, and a Gaussian test matrix drawn from {@code rng}: deterministic for a
   * given seed, but not bit-compatible with torch's RNG.
   */
  public static Result randomized(Matrix m, int k, int oversample, int niter, SplittableRandom rng) {
    checkK(m, k);
    int q = Math.min(k + Math.max(0, oversample), Math.min(m.rows, m.cols));
    Matrix omega = Matrix.zeros(m.cols, q);
    for (int i = 0; i < omega.a.length; i++) {
      omega.a[i] = rng.nextGaussian();
    }
    try (EagerSession session = EagerSession.create()) {
      Ops tf = Ops.create(session);
      Operand<TFloat64> mm = constant(tf, m);
      Operand<TFloat64> qy = tf.linalg.qr(tf.linalg.matMul(mm, constant(tf, omega))).q();
      for (int i = 0; i < niter; i++) {
        Operand<TFloat64> z = tf.linalg.qr(tf.linalg.matMul(mm, qy, MatMul.transposeA(true))).q();
        qy = tf.linalg.qr(tf.linalg.matMul(mm, z)).q();
      }
      Operand<TFloat64> b = tf.linalg.matMul(qy, mm, MatMul.transposeA(true));
      org.tensorflow.op.linalg.Svd<TFloat64> svd =
          tf.linalg.svd(b, org.tensorflow.op.linalg.Svd.fullMatrices(false));
      Operand<TFloat64> u = tf.linalg.matMul(qy, svd.u());
      return truncate(toMatrix(u), values(svd.s()), toMatrix(svd.v()), k);
    }
  }

  /** Applies the sign convention in place: largest-magnitude entry of every u_i positive. */
  public static void fixSigns(Matrix u, Matrix v) {
    for (int j = 0; j < u.cols; j++) {
      int best = 0;
      double bestAbs = -1;
      for (int i = 0; i < u.rows; i++) {
        double x = Math.abs(u.get(i, j));
        if (x > bestAbs) {
          bestAbs = x;
          best = i;
        }
      }
      if (u.get(best, j) < 0) {
        for (int i = 0; i < u.rows; i++) {
          u.set(i, j, -u.get(i, j));
        }
        for (int i = 0; i < v.rows; i++) {
          v.set(i, j, -v.get(i, j));
        }
      }
    }
  }

  private static Result truncate(Matrix u, double[] s, Matrix v, int k) {
    // order by descending singular value (TensorFlow returns them sorted; this guards the contract)
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
    int[] idx = new int[k];
    double[] sk = new double[k];
    for (int i = 0; i < k; i++) {
      idx[i] = order[i];
      sk[i] = s[order[i]];
    }
    Matrix uk = u.columns(idx);
    Matrix vk = v.columns(idx);
    fixSigns(uk, vk);
    return new Result(uk, sk, vk);
  }

  private static void checkK(Matrix m, int k) {
    if (k < 1 || k > Math.min(m.rows, m.cols)) {
      throw new IllegalArgumentException("cannot keep " + k + " singular triplets of a " + m.rows + "x" + m.cols + " matrix");
    }
  }

  private static Operand<TFloat64> constant(Ops tf, Matrix m) {
    return tf.constant(Shape.of(m.rows, m.cols), DataBuffers.of(m.a, true, false));
  }

  private static double[] values(Operand<TFloat64> op) {
    TFloat64 t = op.asTensor();
    double[] d = new double[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(d, false, false));
    return d;
  }

  private static Matrix toMatrix(Operand<TFloat64> op) {
    TFloat64 t = op.asTensor();
    long[] shape = t.shape().asArray();
    double[] d = new double[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(d, false, false));
    return new Matrix((int) shape[0], (int) shape[1], d);
  }
}
