package org.peftharness.model.graph;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.TensorIO;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/** Copies between host arrays and TensorFlow tensors. The caller closes what these create. */
public final class HostTensors {
  private HostTensors() {}

  public static TFloat32 of(FloatTensor t) {
    return TensorIO.toTensor(t);
  }

  /** A rectangular int matrix as an int32 tensor. */
  public static TInt32 ints(int[][] rows) {
    int b = rows.length;
    int t = b == 0 ? 0 : rows[0].length;
    int[] flat = new int[b * t];
    for (int i = 0; i < b; i++) {
      if (rows[i].length != t) {
        throw new IllegalArgumentException("ragged batch: row " + i + " has " + rows[i].length + " ids, expected " + t);
      }
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    return TInt32.tensorOf(Shape.of(b, t), DataBuffers.of(flat, true, false));
  }

  /** Any float32 or float64 tensor as a host float32 tensor (float64 rounded). */
  public static FloatTensor toHost(Tensor t) {
    return TensorIO.toHost(t);
  }

  public static double[] toDoubles(Tensor t) {
    int n = Math.toIntExact(t.shape().size());
    double[] out = new double[n];
    if (t instanceof TFloat64) {
      ((TFloat64) t).copyTo(DataBuffers.of(out, false, false));
    } else {
      float[] f = toHost(t).data();
      for (int i = 0; i < n; i++) {
        out[i] = f[i];
      }
    }
    return out;
  }
}
