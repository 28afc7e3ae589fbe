package org.peftharness.testing;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A float64 SVD written independently of the harness's (TensorFlow's) for tests: one-sided
 * (Hestenes) Jacobi rotations on the columns of an m×n matrix, m ≥ n, then the harness's sign
 * convention (u_i, v_i flipped together so that the first entry of largest magnitude of u_i is
 * positive) and singular values in descending order.
 *
 * @param u m×n, columns the left singular vectors
 * @param s the n singular values, descending
 * @param v n×n, columns the right singular vectors (torch's Vh is its transpose)
 */
public record JacobiSvd(double[][] u, double[] s, double[][] v) {

  /** The thin SVD of {@code w} (row-major m×n, m ≥ n). */
  public static JacobiSvd of(double[][] w) {
    int m = w.length;
    int n = w[0].length;
    if (m < n) {
      throw new IllegalArgumentException("needs m >= n, got " + m + "x" + n);
    }
    double[][] a = new double[m][];
    for (int i = 0; i < m; i++) {
      a[i] = w[i].clone();
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = 0;
          double beta = 0;
          double gamma = 0;
          for (int i = 0; i < m; i++) {
            alpha += a[i][p] * a[i][p];
            beta += a[i][q] * a[i][q];
            gamma += a[i][p] * a[i][q];
          }
          if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double sn = c * t;
          rotate(a, p, q, c, sn);
          rotate(v, p, q, c, sn);
        }
      }
      if (!rotated) {
        break;
      }
    }
    double[] s = new double[n];
    for (int j = 0; j < n; j++) {
      double sq = 0;
      for (int i = 0; i < m; i++) {
        sq += a[i][j] * a[i][j];
      }
      s[j] = Math.sqrt(sq);
    }
    Integer[] order = new Integer[n];
    for (int j = 0; j < n; j++) {
      order[j] = j;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer j) -> s[j]).reversed());
    double[][] u = new double[m][n];
    double[][] vs = new double[n][n];
    double[] ss = new double[n];
    for (int k = 0; k < n; k++) {
      int j = order[k];
      ss[k] = s[j];
      int big = 0;
      for (int i = 0; i < m; i++) {
        if (Math.abs(a[i][j]) > Math.abs(a[big][j])) {
          big = i;
        }
      }
      double sign = a[big][j] < 0 ? -1 : 1;
      for (int i = 0; i < m; i++) {
        u[i][k] = sign * a[i][j] / s[j];
      }
      for (int i = 0; i < n; i++) {
        vs[i][k] = sign * v[i][j];
      }
    }
    return new JacobiSvd(u, ss, vs);
  }

  private static void rotate(double[][] x, int p, int q, double c, double s) {
    for (double[] row : x) {
      double xp = row[p];
      double xq = row[q];
      row[p] = c * xp - s * xq;
      row[q] = s * xp + c * xq;
    }
  }
}
