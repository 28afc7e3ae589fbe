package org.peftharness.methods.linalg;

import java.util.Arrays;
import org.peftharness.core.tensor.FloatTensor;

/**
 * A dense row-major float64 matrix on the host: the working type of the initialisation, merge and
 * export math, so that every formula is evaluated in double precision and rounded to float32 once
 * at the end.
 */
public final class Matrix {
  public final int rows;
  public final int cols;
  public final double[] a;

  public Matrix(int rows, int cols, double[] a) {
    if ((long) rows * cols != a.length) {
      throw new IllegalArgumentException(rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + a.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.a = a;
  }

  public static Matrix zeros(int rows, int cols) {
    return new Matrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
  }

  public static Matrix identity(int n) {
    Matrix m = zeros(n, n);
    for (int i = 0; i < n; i++) {
      m.a[i * n + i] = 1;
    }
    return m;
  }

  public static Matrix diag(double[] d) {
    Matrix m = zeros(d.length, d.length);
    for (int i = 0; i < d.length; i++) {
      m.a[i * d.length + i] = d[i];
    }
    return m;
  }

  /** A float32 matrix widened to float64. */
  public static Matrix of(FloatTensor t) {
    if (t.rank() != 2) {
      throw new IllegalArgumentException("expected a matrix, got shape " + Arrays.toString(t.shape()));
    }
    float[] f = t.data();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return new Matrix(Math.toIntExact(t.dim(0)), Math.toIntExact(t.dim(1)), d);
  }

  /** Rounded to float32. */
  public FloatTensor toFloat() {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return new FloatTensor(new long[] {rows, cols}, f);
  }

  public double get(int i, int j) {
    return a[i * cols + j];
  }

  public void set(int i, int j, double v) {
    a[i * cols + j] = v;
  }

  public Matrix copy() {
    return new Matrix(rows, cols, a.clone());
  }

  public Matrix transpose() {
    Matrix t = zeros(cols, rows);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t.a[j * rows + i] = a[i * cols + j];
      }
    }
    return t;
  }

  /** {@code this · o}. */
  public Matrix mul(Matrix o) {
    if (cols != o.rows) {
      throw new IllegalArgumentException("cannot multiply " + rows + "x" + cols + " by " + o.rows + "x" + o.cols);
    }
    Matrix r = zeros(rows, o.cols);
    int n = o.cols;
    for (int i = 0; i < rows; i++) {
      int ri = i * n;
      for (int k = 0; k < cols; k++) {
        double v = a[i * cols + k];
        if (v == 0) {
          continue;
        }
        int ok = k * n;
        for (int j = 0; j < n; j++) {
          r.a[ri + j] += v * o.a[ok + j];
        }
      }
    }
    return r;
  }

  public Matrix scale(double s) {
    Matrix r = copy();
    for (int i = 0; i < r.a.length; i++) {
      r.a[i] *= s;
    }
    return r;
  }

  public Matrix plus(Matrix o) {
    checkSame(o);
    Matrix r = copy();
    for (int i = 0; i < r.a.length; i++) {
      r.a[i] += o.a[i];
    }
    return r;
  }

  public Matrix minus(Matrix o) {
    checkSame(o);
    Matrix r = copy();
    for (int i = 0; i < r.a.length; i++) {
      r.a[i] -= o.a[i];
    }
    return r;
  }

  /** Columns {@code idx} (in that order) as a new matrix. */
  public Matrix columns(int[] idx) {
    Matrix r = zeros(rows, idx.length);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < idx.length; j++) {
        r.a[i * idx.length + j] = a[i * cols + idx[j]];
      }
    }
    return r;
  }

  /** Rows {@code idx} (in that order) as a new matrix. */
  public Matrix rowsAt(int[] idx) {
    Matrix r = zeros(idx.length, cols);
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(a, idx[i] * cols, r.a, i * cols, cols);
    }
    return r;
  }

  /** The Euclidean norm of each row (torch.linalg.norm(W, dim=1) for a weight W, out×in). */
  public double[] rowNorms() {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += a[i * cols + j] * a[i * cols + j];
      }
      out[i] = Math.sqrt(sum);
    }
    return out;
  }

  /** Each row i multiplied by d[i] ({@code diag(d) · this}). */
  public Matrix scaleRows(double[] d) {
    Matrix r = copy();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        r.a[i * cols + j] *= d[i];
      }
    }
    return r;
  }

  /** Each column j multiplied by d[j] ({@code this · diag(d)}). */
  public Matrix scaleCols(double[] d) {
    Matrix r = copy();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        r.a[i * cols + j] *= d[j];
      }
    }
    return r;
  }

  /** {@code [this, o]}: columns of o appended. */
  public Matrix concatCols(Matrix o) {
    if (rows != o.rows) {
      throw new IllegalArgumentException("row counts differ: " + rows + " vs " + o.rows);
    }
    Matrix r = zeros(rows, cols + o.cols);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(a, i * cols, r.a, i * r.cols, cols);
      System.arraycopy(o.a, i * o.cols, r.a, i * r.cols + cols, o.cols);
    }
    return r;
  }

  /** {@code [this; o]}: rows of o appended. */
  public Matrix concatRows(Matrix o) {
    if (cols != o.cols) {
      throw new IllegalArgumentException("column counts differ: " + cols + " vs " + o.cols);
    }
    double[] d = Arrays.copyOf(a, a.length + o.a.length);
    System.arraycopy(o.a, 0, d, a.length, o.a.length);
    return new Matrix(rows + o.rows, cols, d);
  }

  public double maxAbsDiff(Matrix o) {
    checkSame(o);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - o.a[i]));
    }
    return m;
  }

  private void checkSame(Matrix o) {
    if (rows != o.rows || cols != o.cols) {
      throw new IllegalArgumentException("shapes differ: " + rows + "x" + cols + " vs " + o.rows + "x" + o.cols);
    }
  }

  @Override
  public String toString() {
    return "Matrix[" + rows + "x" + cols + "]";
  }
}
