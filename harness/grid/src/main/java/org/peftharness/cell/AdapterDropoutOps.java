package org.peftharness.cell;

import org.peftharness.methods.adapter.AdapterDropout;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * PEFT's {@code lora_dropout} on the adapter input, as inverted dropout driven by the model's own
 * {@code training} switch and {@code dropout_seed} (looked up in the graph: the adapters are built
 * while the model is, before it can be referenced). Adapter sites draw from seed offsets far from
 * the model's own sites so no two share a mask.
 */
final class AdapterDropoutOps implements AdapterDropout {
  private static final long OFFSET = 1_000_000L;
  private int sites;

  @Override
  @SuppressWarnings("unchecked")
  public <T extends TNumber> Operand<T> apply(LinearSite site, Nn<T> nn, Operand<T> x, double rate) {
    Graph g = (Graph) nn.tf.scope().env();
    Operand<TBool> training = (Operand<TBool>) (Operand<?>) g.operationOrThrow("training").output(0);
    Operand<TInt64> dropoutSeed = (Operand<TInt64>) (Operand<?>) g.operationOrThrow("dropout_seed").output(0);
    Ops d = nn.tf.withSubScope("adapter_dropout" + sites);
    long index = OFFSET + sites++;
    Operand<TInt32> shape = d.shape(x);
    Operand<TInt32> sampleShape = d.select(training, shape, d.onesLike(shape));
    Operand<TInt64> seed = d.math.add(dropoutSeed, d.constant(new long[] {0L, index}));
    Operand<T> u = d.random.statelessRandomUniform(sampleShape, seed, nn.type);
    Operand<T> threshold = d.select(training, nn.scalar(rate), nn.scalar(-1.0));
    Operand<T> scale = d.select(training, nn.scalar(1.0 / (1.0 - rate)), nn.scalar(1.0));
    return d.math.mul(x, d.math.mul(d.dtypes.cast(d.math.greaterEqual(u, threshold), nn.type), scale));
  }
}
