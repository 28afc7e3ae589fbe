package org.peftharness.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * A minimal LoRA for measuring only (the real methods live in the methods module): on the target
 * sites {@code y = x W^T + b + (alpha/r) (x A^T) B^T}, A uniform(+-1/sqrt(in)), B zero.
 */
final class LocalLora implements LinearFactory {
  private final int rank;
  private final Set<String> targets;
  private final Map<String, Variable<?>> variables = new LinkedHashMap<>();
  private final SplittableRandom rng = new SplittableRandom(1);

  LocalLora(int rank, Set<String> targets) {
    this.rank = rank;
    this.targets = targets;
  }

  @SuppressWarnings("unchecked")
  <T extends TNumber> Map<String, Variable<T>> variables() {
    Map<String, Variable<T>> out = new LinkedHashMap<>();
    variables.forEach((k, v) -> out.put(k, (Variable<T>) v));
    return out;
  }

  @Override
  public <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Operand<T> bias) {
    Operand<T> y = nn.linear(x, weight, bias);
    if (!targets.contains(site.shortName())) {
      return y;
    }
    float[] a = new float[Math.toIntExact(rank * site.inFeatures())];
    double bound = 1.0 / Math.sqrt(site.inFeatures());
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
    Operand<T> aInit = nn.cast(nn.tf.constant(Shape.of(rank, site.inFeatures()), DataBuffers.of(a, true, false)));
    Operand<T> bInit = nn.cast(nn.tf.zeros(nn.tf.constant(new long[] {site.outFeatures(), rank}), TFloat32.class));
    Variable<T> va = nn.tf.withName(site.module() + ".lora_A").variable(aInit);
    Variable<T> vb = nn.tf.withName(site.module() + ".lora_B").variable(bInit);
    variables.put(site.module() + ".lora_A.weight", va);
    variables.put(site.module() + ".lora_B.weight", vb);
    Operand<T> down = nn.tf.linalg.matMul(x, va, MatMul.transposeB(true));
    Operand<T> up = nn.tf.linalg.matMul(down, vb, MatMul.transposeB(true));
    return nn.tf.math.add(y, nn.tf.math.mul(up, nn.scalar(1.0))); // alpha = r
  }
}
