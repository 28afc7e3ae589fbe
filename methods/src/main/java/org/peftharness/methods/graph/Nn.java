package org.peftharness.methods.graph;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Neural-network building blocks written from TensorFlow primitives whose gradients are known to
 * exist in TensorFlow Java, in one floating type {@code T} (float32 for work, float64 for
 * gradient checks). Activations are kept as {@code [tokens, features]} matrices between blocks.
 *
 * <p>With bf16 products on, every matrix product of the model ({@link #linear}, {@link #matMulT},
 * {@link #batchMatMul}) runs as torch's autocast runs {@code linear}/{@code matmul}/{@code bmm}
 * under bf16 (torch/csrc/autograd/autocast_mode.h, the lower_precision_fp list): both operands
 * rounded to bfloat16, the product accumulated in float32 and rounded to bfloat16 (TF's bfloat16
 * MatMul, as cuBLAS/oneDNN's), then widened back to {@code T}, so the norms, softmax, residual
 * stream and loss around it stay in {@code T}. Adapters multiply with their own ops, in {@code T},
 * as PEFT's float32 adapters do ({@code autocast_adapter_dtype=True}, peft tuners_utils.py
 * cast_adapter_dtype).
 */
public final class Nn<T extends TNumber> {
  /** Added to attention scores where a position may not be attended; exp() of it is exactly 0. */
  public static final double MASKED = -1e9;

  public final Ops tf;
  public final Class<T> type;
  private final boolean bf16Products;
  /** Float views of weights stored in bfloat16, with their stored tensors: a product reads the stored one, never casts twice. */
  private final Map<Operand<?>, Operand<TBfloat16>> storedBf16 = new IdentityHashMap<>();

  public Nn(Ops tf, Class<T> type) {
    this(tf, type, false);
  }

  /** @param bf16Products whether the model's matrix products run in bfloat16 (see the class comment) */
  public Nn(Ops tf, Class<T> type, boolean bf16Products) {
    this.tf = tf;
    this.type = type;
    this.bf16Products = bf16Products;
  }

  /** A weight stored in bfloat16, as {@code T} for everything but products (which read {@code stored} itself). */
  public Operand<T> viewOfBf16(Operand<TBfloat16> stored) {
    Operand<T> view = cast(stored);
    storedBf16.put(view, stored);
    return view;
  }

  public Operand<T> scalar(double v) {
    return tf.dtypes.cast(tf.constant(v), type);
  }

  public Operand<TInt32> ints(int... v) {
    return tf.constant(v);
  }

  public Operand<T> cast(Operand<? extends TNumber> x) {
    return tf.dtypes.cast(x, type);
  }

  /** {@code x W^T (+ b)} for a PyTorch-layout weight {@code [out, in]}; the bias is added in {@code T}. */
  public Operand<T> linear(Operand<T> x, Operand<T> w, Operand<T> b) {
    Operand<T> y = matMulT(x, w);
    return b == null ? y : tf.math.add(y, b);
  }

  /** {@code x W^T} for a PyTorch-layout weight {@code [out, in]}, in bfloat16 when the model's products are. */
  public Operand<T> matMulT(Operand<T> x, Operand<T> w) {
    if (!bf16Products) {
      return tf.linalg.matMul(x, w, MatMul.transposeB(true));
    }
    return cast(tf.linalg.matMul(bf16(x), bf16(w), MatMul.transposeB(true)));
  }

  /**
   * Rows {@code ids} of an embedding table: of a table stored in bfloat16, the rows are gathered
   * there and only they are widened (the whole table is never cast).
   */
  public Operand<T> embeddingRows(Operand<T> table, Operand<? extends TNumber> ids) {
    Operand<TBfloat16> stored = storedBf16.get(table);
    return stored != null ? cast(tf.gather(stored, ids, tf.constant(0))) : tf.gather(table, ids, tf.constant(0));
  }

  private Operand<TBfloat16> bf16(Operand<T> x) {
    Operand<TBfloat16> stored = storedBf16.get(x);
    return stored != null ? stored : tf.dtypes.cast(x, TBfloat16.class);
  }

  /** LayerNorm over the last axis with the biased variance, as torch.nn.LayerNorm. */
  public Operand<T> layerNorm(Operand<T> x, Operand<T> gamma, Operand<T> beta, double eps) {
    Operand<TInt32> last = ints(-1);
    Operand<T> mean = tf.math.mean(x, last, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<T> centred = tf.math.sub(x, mean);
    Operand<T> var = tf.math.mean(tf.math.square(centred), last, org.tensorflow.op.math.Mean.keepDims(true));
    Operand<T> normed = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(var, scalar(eps))));
    return tf.math.add(tf.math.mul(normed, gamma), beta);
  }

  /** Llama's RMSNorm: eps inside the root, weight applied after normalising. */
  public Operand<T> rmsNorm(Operand<T> x, Operand<T> weight, double eps) {
    Operand<T> ms = tf.math.mean(tf.math.square(x), ints(-1), org.tensorflow.op.math.Mean.keepDims(true));
    return tf.math.mul(weight, tf.math.mul(x, tf.math.rsqrt(tf.math.add(ms, scalar(eps)))));
  }

  /** Exact (erf) GELU, as Hugging Face's "gelu". */
  public Operand<T> gelu(Operand<T> x) {
    Operand<T> cdf = tf.math.mul(scalar(0.5), tf.math.add(scalar(1.0), tf.math.erf(tf.math.mul(x, scalar(Math.sqrt(0.5))))));
    return tf.math.mul(x, cdf);
  }

  public Operand<T> silu(Operand<T> x) {
    return tf.math.mul(x, tf.math.sigmoid(x));
  }

  /**
   * GELU in its tanh approximation, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, as
   * Hugging Face's "gelu_pytorch_tanh" (transformers activations.py PytorchGELUTanh).
   */
  public Operand<T> geluTanh(Operand<T> x) {
    Operand<T> cube = tf.math.mul(tf.math.mul(x, x), x);
    Operand<T> inner = tf.math.mul(scalar(Math.sqrt(2.0 / Math.PI)), tf.math.add(x, tf.math.mul(scalar(0.044715), cube)));
    return tf.math.mul(tf.math.mul(scalar(0.5), x), tf.math.add(scalar(1.0), tf.math.tanh(inner)));
  }

  /**
   * Gemma's RMSNorm, {@code x / sqrt(mean(x^2) + eps) * (1 + w)} with the weight stored around 0
   * (transformers models/gemma/modular_gemma.py GemmaRMSNorm). Gemma upcasts to float32 first;
   * {@code T} is float32 or float64, so computing in {@code T} is that upcast.
   */
  public Operand<T> rmsNormUnitOffset(Operand<T> x, Operand<T> weight, double eps) {
    Operand<T> ms = tf.math.mean(tf.math.square(x), ints(-1), org.tensorflow.op.math.Mean.keepDims(true));
    Operand<T> normed = tf.math.mul(x, tf.math.rsqrt(tf.math.add(ms, scalar(eps))));
    return tf.math.mul(normed, tf.math.add(scalar(1.0), weight));
  }

  /** Soft-capping {@code cap * tanh(x / cap)}: bounds x to (-cap, cap) smoothly (Gemma-2's scores and logits). */
  public Operand<T> softcap(Operand<T> x, double cap) {
    return tf.math.mul(tf.math.tanh(tf.math.div(x, scalar(cap))), scalar(cap));
  }

  /** Batched {@code a b} (or {@code a bᴴ}), in bfloat16 when the model's products are. */
  public Operand<T> batchMatMul(Operand<T> a, Operand<T> b, boolean adjointB) {
    if (!bf16Products) {
      return tf.train.batchMatMul(a, b, type, BatchMatMul.adjY(adjointB));
    }
    return cast(tf.train.batchMatMul(bf16(a), bf16(b), TBfloat16.class, BatchMatMul.adjY(adjointB)));
  }

  /** Concatenates 1-D int32 shape pieces (dynamic and static) into one shape vector. */
  @SafeVarargs
  public final Operand<TInt32> shape(Operand<TInt32>... parts) {
    return tf.concat(Arrays.asList(parts), tf.constant(0));
  }

  /** Splits the last axis in two halves. */
  public List<Operand<T>> halves(Operand<T> x) {
    Split<T> s = tf.split(tf.constant(-1), x, 2L);
    return List.of(s.output().get(0), s.output().get(1));
  }
}
