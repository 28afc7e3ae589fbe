package org.peftharness.model.graph;

import org.peftharness.methods.graph.Nn;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Multi-head scaled dot-product attention over {@code [tokens, features]} projections, with
 * grouped-query sharing (each key/value head serves {@code heads / kvHeads} consecutive query
 * heads, as transformers' repeat_kv) and an optional rotary embedding.
 */
final class Attention<T extends TNumber> {
  private final Nn<T> nn;
  private final Operand<TInt32> bt;
  private final int heads;
  private final int kvHeads;
  private final int headDim;

  private Attention(Nn<T> nn, Operand<TInt32> bt, int heads, int kvHeads, int headDim) {
    this.nn = nn;
    this.bt = bt;
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
  }

  static <T extends TNumber> Attention<T> of(Nn<T> nn, Operand<TInt32> batchAndTime, int heads, int kvHeads, int headDim) {
    return new Attention<>(nn, batchAndTime, heads, kvHeads, headDim);
  }

  /**
   * @param bias added to the scores, broadcastable to {@code [B, heads, T, T]}
   * @param rope rotary tables, or null for learned absolute positions
   * @return the context {@code [B*T, heads*headDim]}
   */
  Operand<T> apply(Operand<T> q, Operand<T> k, Operand<T> v, Operand<T> bias, Rope<T> rope) {
    Operand<T> qh = split(q, heads);
    Operand<T> kh = split(k, kvHeads);
    Operand<T> vh = split(v, kvHeads);
    if (rope != null) {
      qh = rope.apply(qh);
      kh = rope.apply(kh);
    }
    kh = repeatKv(kh);
    vh = repeatKv(vh);
    Operand<T> scores = nn.tf.math.mul(nn.batchMatMul(qh, kh, true), nn.scalar(1.0 / Math.sqrt(headDim)));
    Operand<T> probs = nn.tf.nn.softmax(nn.tf.math.add(scores, bias));
    Operand<T> ctx = nn.batchMatMul(probs, vh, false);
    Operand<T> merged = nn.tf.linalg.transpose(ctx, nn.ints(0, 2, 1, 3));
    return nn.tf.reshape(merged, nn.ints(-1, heads * headDim));
  }

  /** {@code [B*T, n*D]} to {@code [B, n, T, D]}. */
  private Operand<T> split(Operand<T> x, int n) {
    Operand<T> r = nn.tf.reshape(x, nn.shape(bt, nn.ints(n, headDim)));
    return nn.tf.linalg.transpose(r, nn.ints(0, 2, 1, 3));
  }

  private Operand<T> repeatKv(Operand<T> x) {
    int rep = heads / kvHeads;
    if (rep == 1) {
      return x;
    }
    Operand<T> e = nn.tf.tile(nn.tf.expandDims(x, nn.tf.constant(2)), nn.ints(1, 1, rep, 1, 1));
    Operand<TInt32> b = nn.tf.slice(bt, nn.ints(0), nn.ints(1));
    Operand<TInt32> t = nn.tf.slice(bt, nn.ints(1), nn.ints(1));
    return nn.tf.reshape(e, nn.shape(b, nn.ints(heads), t, nn.ints(headDim)));
  }
}
