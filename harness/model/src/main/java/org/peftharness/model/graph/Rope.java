package org.peftharness.model.graph;

import java.util.List;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Rotary position embedding in the rotate-half form of transformers' Llama: frequencies
 * {@code theta^(-2i/d)} (optionally Llama-3 rescaled), cos/sin tables of {@code [freqs, freqs]},
 * and {@code x*cos + rotate_half(x)*sin} with {@code rotate_half(x) = [-x2, x1]}.
 */
final class Rope<T extends TNumber> {
  private final Nn<T> nn;
  private final Operand<T> cos;
  private final Operand<T> sin;

  /** @param positions {@code [B, T]} int32 position of every token */
  Rope(Nn<T> nn, ModelConfig config, Operand<TInt32> positions) {
    this.nn = nn;
    int d = config.headDim();
    double[] invFreq = new double[d / 2];
    for (int i = 0; i < invFreq.length; i++) {
      // transformers computes theta ** (arange(0, d, 2) / d) in float32
      float exponent = (float) (2 * i) / d;
      invFreq[i] = (float) (1.0 / Math.pow(config.ropeTheta(), exponent));
      if (config.ropeScaling() != null) {
        invFreq[i] = (float) config.ropeScaling().apply(invFreq[i]);
      }
    }
    Operand<T> inv = nn.cast(nn.tf.constant(invFreq));
    Operand<T> pos = nn.tf.expandDims(nn.cast(positions), nn.tf.constant(-1)); // [B, T, 1]
    Operand<T> freqs = nn.tf.math.mul(pos, inv); // [B, T, d/2]
    Operand<T> emb = nn.tf.concat(List.of(freqs, freqs), nn.tf.constant(-1));
    Operand<T> heads = nn.tf.expandDims(emb, nn.tf.constant(1)); // [B, 1, T, d]
    this.cos = nn.tf.math.cos(heads);
    this.sin = nn.tf.math.sin(heads);
  }

  /** Rotates {@code [B, H, T, d]}. */
  Operand<T> apply(Operand<T> x) {
    List<Operand<T>> h = nn.halves(x);
    Operand<T> rotated = nn.tf.concat(List.of(nn.tf.math.neg(h.get(1)), h.get(0)), nn.tf.constant(-1));
    return nn.tf.math.add(nn.tf.math.mul(x, cos), nn.tf.math.mul(rotated, sin));
  }
}
