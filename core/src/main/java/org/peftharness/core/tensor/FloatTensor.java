package org.peftharness.core.tensor;

import java.util.Arrays;

/**
 * A dense float32 array on the host with its shape, row-major. The common currency between file
 * formats (safetensors, ONNX) and the TensorFlow graphs.
 */
public final class FloatTensor {
  private final long[] shape;
  private final float[] data;

  public FloatTensor(long[] shape, float[] data) {
    long n = elementCount(shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    this.shape = shape.clone();
    this.data = data;
  }

  public static FloatTensor zeros(long... shape) {
    return new FloatTensor(shape, new float[Math.toIntExact(elementCount(shape))]);
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int i) {
    return shape[i];
  }

  /** The backing array (not a copy: callers that mutate it own the tensor). */
  public float[] data() {
    return data;
  }

  public int size() {
    return data.length;
  }

  /** Element (i, j) of a matrix. */
  public float get(int i, int j) {
    return data[i * (int) shape[1] + j];
  }

  /** The transpose of a matrix, as a new tensor. */
  public FloatTensor transpose2d() {
    if (shape.length != 2) {
      throw new IllegalStateException("transpose2d needs a matrix, shape is " + Arrays.toString(shape));
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    float[] t = new float[data.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = data[i * cols + j];
      }
    }
    return new FloatTensor(new long[] {cols, rows}, t);
  }

  public FloatTensor reshape(long... newShape) {
    return new FloatTensor(newShape, data);
  }

  /** Product of the dimensions, failing on overflow or negative dimensions. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
