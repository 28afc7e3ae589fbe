package org.peftharness.methods.lorafa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Role;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * PEFT's LoRA-FA optimizer (peft/optimizers/lorafa.py L149–194): A frozen, and
 * {@code g̃_B = g_B · pinv(A Aᵀ + 1e-8·I_r) / s²} fed to AdamW with betas (0.9, 0.999), eps 1e-6,
 * bias correction and decoupled weight decay. Since A never changes, the r×r factor of each site
 * is a constant, computed once from the initial A and put into the graph as a constant.
 */
public final class LoraFaCorrection implements GradientTransform {
  /** The ridge PEFT adds to A Aᵀ before the pseudo-inverse. */
  public static final double RIDGE = 1e-8;
  /** The Adam epsilon of PEFT's LoRA-FA optimizer. */
  public static final double ADAM_EPS = 1e-6;

  private final Ops tf;
  private final Map<String, Operand<TFloat32>> byB = new LinkedHashMap<>();

  LoraFaCorrection(Ops tf, List<AdapterSite> sites, double scaling) {
    this.tf = tf;
    for (AdapterSite s : sites) {
      AdapterVariable b = s.variable(Role.B);
      if (b != null && b.trainable()) {
        FloatTensor p = preconditioner(s.init().a(), scaling);
        byB.put(b.name(), tf.withSubScope("lorafa").withName(s.module() + ".preconditioner")
            .constant(Shape.of(p.shape()), DataBuffers.of(p.data(), true, false)));
      }
    }
  }

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

  @Override
  public double adamEpsilon(double configured) {
    return ADAM_EPS;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends TNumber> Operand<T> apply(String variable, Operand<T> gradient) {
    Operand<TFloat32> p = byB.get(variable);
    if (p == null) {
      return gradient;
    }
    Operand<T> typed = gradient.type() == TFloat32.class ? (Operand<T>) p : tf.dtypes.cast(p, gradient.type());
    return tf.linalg.matMul(gradient, typed);
  }
}
