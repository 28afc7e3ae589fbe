package org.peftharness.methods.dora;

import org.peftharness.methods.Role;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.options.AdapterOptions;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.family.TNumber;

/**
 * DoRA's forward on one linear map, PEFT's DoraLinearLayer.forward (tuners/lora/dora.py L132-166)
 * as DoraLinearVariant.forward calls it (tuners/lora/variants.py L220-248):
 * <pre>
 *   y = x W0ᵀ + b + (m/‖W0 + s·B·A‖_row − 1) ⊙ (x_d W0ᵀ) + (m/‖W0 + s·B·A‖_row) ⊙ ((x_d Aᵀ) Bᵀ) · s
 * </pre>
 * with {@code x_d} the adapter input (lora_dropout applied) and the row norm a constant for the
 * gradient (dora.py L145-152, {@code weight_norm.detach()}, DoRA paper §4.3). The magnitude scales
 * the base output without its bias, so the bias is added once, unscaled.
 */
final class DoraSite {
  private DoraSite() {}

  static <T extends TNumber> Operand<T> build(SiteBuilder<T> s, AdapterOptions o) {
    s.claimWeight(false);
    Variable<T> a = s.declare(Role.A, ".lora_A", o.rank(), s.site().inFeatures());
    Variable<T> b = s.declare(Role.B, ".lora_B", s.site().outFeatures(), o.rank());
    Variable<T> m = s.declare(DoraMethod.MAGNITUDE, ".lora_magnitude_vector", s.site().outFeatures());
    Nn<T> nn = s.nn();
    Ops tf = nn.tf;
    Operand<T> scaling = nn.scalar(o.scaling());

    // dora.py get_weight_norm L86-91: ‖W0 + s·(B·A)‖ over dim 1 (the input dimension), one per
    // output feature, from the detached B·A (get_lora_weight L94-99; forward L145-147), then detached itself (L152)
    Operand<T> loraWeight = tf.stopGradient(tf.linalg.matMul(b, a));
    Operand<T> weight = tf.math.add(s.weight(), tf.math.mul(scaling, loraWeight));
    Operand<T> weightNorm = tf.stopGradient(tf.math.sqrt(tf.reduceSum(tf.math.square(weight), nn.ints(1))));
    Operand<T> magNormScale = tf.math.div(m, weightNorm);

    Operand<T> base = s.base();
    Operand<T> input = s.adapterInput(o.dropout());
    Operand<T> loraResult = tf.linalg.matMul(tf.linalg.matMul(input, a, MatMul.transposeB(true)), b, MatMul.transposeB(true));
    // variants.py L233-237 and dora.py L157-163: without dropout PEFT reuses the base output less
    // its bias; with dropout it computes F.linear(dropout(x), W0), in evaluation too, where the
    // dropout is the identity and the value is x W0ᵀ up to the rounding of adding and removing b
    Operand<T> baseResult;
    if (o.dropout() > 0) {
      baseResult = nn.matMulT(input, s.weight());
    } else {
      baseResult = s.bias() == null ? base : tf.math.sub(base, s.bias());
    }
    // dora.py L165: (mag_norm_scale - 1) * base_result + mag_norm_scale * lora_result * scaling
    Operand<T> dora = tf.math.add(
        tf.math.mul(tf.math.sub(magNormScale, nn.scalar(1.0)), baseResult),
        tf.math.mul(tf.math.mul(magNormScale, loraResult), scaling));
    return tf.math.add(base, dora);
  }
}
