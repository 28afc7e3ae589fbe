package org.peftharness.model.graph;

import java.util.List;
import java.util.function.UnaryOperator;
import org.peftharness.methods.graph.Nn;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-head scaled dot-product attention over {@code [tokens, features]} projections, with
 * grouped-query sharing (each key/value head serves {@code heads / kvHeads} consecutive query
 * heads, as transformers' repeat_kv), an optional rotary embedding, dropout on the attention
 * probabilities, optional cached keys/values of earlier tokens, and Gemma-2's score scale and
 * soft cap (modular_gemma2.py eager_attention_forward: scale, cap, then add the mask).
 */
final class Attention<T extends TNumber> {
  private final Nn<T> nn;
  private final Operand<TInt32> bt;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private UnaryOperator<Operand<T>> probsDropout = UnaryOperator.identity();
  private double scoreScale;
  private Double softcap;
  private Operand<T> presentKey;
  private Operand<T> presentValue;

  private Attention(Nn<T> nn, Operand<TInt32> bt, int heads, int kvHeads, int headDim) {
    this.nn = nn;
    this.bt = bt;
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.scoreScale = 1.0 / Math.sqrt(headDim);
  }

  static <T extends TNumber> Attention<T> of(Nn<T> nn, Operand<TInt32> batchAndTime, int heads, int kvHeads, int headDim) {
    return new Attention<>(nn, batchAndTime, heads, kvHeads, headDim);
  }

  Attention<T> withProbsDropout(UnaryOperator<Operand<T>> dropout) {
    this.probsDropout = dropout;
    return this;
  }

  /** Scores are multiplied by {@code scale} instead of {@code headDim^-0.5} (Gemma-2's query_pre_attn_scalar). */
  Attention<T> withScoreScale(double scale) {
    this.scoreScale = scale;
    return this;
  }

  /** Scaled scores are capped {@code cap * tanh(s / cap)} before the mask is added (Gemma-2). */
  Attention<T> withSoftcap(double cap) {
    this.softcap = cap;
    return this;
  }

  /**
   * @param bias added to the scores, broadcastable to {@code [B, heads, T, T]}
   * @param rope rotary tables, or null for learned absolute positions
   * @return the context {@code [B*T, heads*headDim]}
   */
  Operand<T> apply(Operand<T> q, Operand<T> k, Operand<T> v, Operand<T> bias, Rope<T> rope) {
    return apply(q, k, v, bias, rope, null, null);
  }

  /**
   * As {@link #apply(Operand, Operand, Operand, Operand, Rope)} with keys and values of earlier
   * tokens {@code [B, kvHeads, P, D]} (rotated already) placed before the new ones; the bias is
   * then broadcastable to {@code [B, heads, T, P+T]}. The concatenated keys and values are
   * available afterwards as {@link #presentKey()} / {@link #presentValue()}.
   */
  Operand<T> apply(Operand<T> q, Operand<T> k, Operand<T> v, Operand<T> bias, Rope<T> rope,
      Operand<T> pastKey, Operand<T> pastValue) {
    Operand<T> qh = split(q, heads);
    Operand<T> kh = split(k, kvHeads);
    Operand<T> vh = split(v, kvHeads);
    if (rope != null) {
      qh = rope.apply(qh);
      kh = rope.apply(kh);
    }
    if (pastKey != null) {
      kh = nn.tf.concat(List.of(pastKey, kh), nn.tf.constant(2));
      vh = nn.tf.concat(List.of(pastValue, vh), nn.tf.constant(2));
    }
    presentKey = kh;
    presentValue = vh;
    kh = repeatKv(kh);
    vh = repeatKv(vh);
    Operand<T> scores = nn.tf.math.mul(nn.batchMatMul(qh, kh, true), nn.scalar(scoreScale));
    if (softcap != null) {
      scores = nn.softcap(scores, softcap);
    }
    Operand<T> probs = probsDropout.apply(nn.tf.nn.softmax(nn.tf.math.add(scores, bias)));
    Operand<T> ctx = nn.batchMatMul(probs, vh, false);
    Operand<T> merged = nn.tf.linalg.transpose(ctx, nn.ints(0, 2, 1, 3));
    return nn.tf.reshape(merged, nn.ints(-1, heads * headDim));
  }

  Operand<T> presentKey() {
    return presentKey;
  }

  Operand<T> presentValue() {
    return presentValue;
  }

  /** {@code [B*T, n*D]} to {@code [B, n, T, D]}. */
  private Operand<T> split(Operand<T> x, int n) {
    Operand<T> r = nn.tf.reshape(x, nn.shape(bt, nn.ints(n, headDim)));
    return nn.tf.linalg.transpose(r, nn.ints(0, 2, 1, 3));
  }

  /** {@code [B, kv, S, D]} to {@code [B, heads, S, D]}. */
  private Operand<T> repeatKv(Operand<T> x) {
    int rep = heads / kvHeads;
    if (rep == 1) {
      return x;
    }
    Operand<T> e = nn.tf.tile(nn.tf.expandDims(x, nn.tf.constant(2)), nn.ints(1, 1, rep, 1, 1));
    Operand<TInt32> s = nn.tf.shape(x);
    Operand<TInt32> b = nn.tf.slice(s, nn.ints(0), nn.ints(1));
    Operand<TInt32> t = nn.tf.slice(s, nn.ints(2), nn.ints(1));
    return nn.tf.reshape(e, nn.shape(b, nn.ints(heads), t, nn.ints(headDim)));
  }
}
