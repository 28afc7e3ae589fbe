package org.peftharness.methods.adapter;

import org.peftharness.core.tensor.FloatTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Host ↔ TensorFlow copies for the adapter variables. The caller closes the tensors it gets. */
public final class TensorIO {
  private TensorIO() {}

  public static TFloat32 toTensor(FloatTensor t) {
    return TFloat32.tensorOf(Shape.of(t.shape()), DataBuffers.of(t.data(), true, false));
  }

  /** A float32 or float64 tensor as a host float32 tensor (float64 rounded). */
  public static FloatTensor toHost(Tensor t) {
    long[] shape = t.shape().asArray();
    int n = Math.toIntExact(t.shape().size());
    float[] out = new float[n];
    if (t instanceof TFloat32) {
      ((TFloat32) t).copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TFloat64) {
      double[] d = new double[n];
      ((TFloat64) t).copyTo(DataBuffers.of(d, false, false));
      for (int i = 0; i < n; i++) {
        out[i] = (float) d[i];
      }
    } else {
      throw new IllegalArgumentException("not a floating tensor: " + t.dataType());
    }
    return new FloatTensor(shape, out);
  }
}
