package org.peftharness.model.reference;

import java.util.function.DoubleUnaryOperator;

/**
 * The float64 building blocks of the reference forwards: row-major matrices as {@code double[rows][cols]},
 * linear weights in PyTorch layout ({@code [out, in]}, flattened row-major).
 */
final class Numerics {
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  private Numerics() {}

  /**
   * The error function to about 1e-15: its Maclaurin series below 2 (terms stay below 5, so
   * cancellation costs one digit at most), Laplace's continued fraction for erfc above.
   */
  static double erf(double x) {
    double a = Math.abs(x);
    double r;
    if (a < 2.0) {
      double term = a;
      double sum = a;
      for (int n = 1; n < 200; n++) {
        term *= -a * a / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      r = TWO_OVER_SQRT_PI * sum;
    } else {
      // erfc(a) = exp(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + ...)))), evaluated from the tail
      double f = a;
      for (int k = 80; k >= 1; k--) {
        f = a + (k / 2.0) / f;
      }
      r = 1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
    }
    return x < 0 ? -r : r;
  }

  /**
   * transformers activations.py ACT2FN by name: {@code gelu} (GELUActivation, exact erf),
   * {@code gelu_pytorch_tanh} and {@code gelu_new} (the tanh approximation), {@code silu}, {@code relu}.
   */
  static DoubleUnaryOperator activation(String name) {
    return switch (name) {
      case "gelu" -> x -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case "gelu_pytorch_tanh", "gelu_new" ->
          x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      case "silu" -> x -> x / (1 + Math.exp(-x));
      case "relu" -> x -> Math.max(0, x);
      default -> throw new IllegalArgumentException("the reference implements no activation '" + name + "'");
    };
  }

  /** {@code x W^T + b} for {@code W} of {@code out} rows (PyTorch nn.Linear); {@code bias} may be null. */
  static double[][] linear(double[][] x, double[] weight, double[] bias, int out) {
    int in = x[0].length;
    if (weight.length != out * in) {
      throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + " x " + in);
    }
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) {
        double s = bias == null ? 0 : bias[o];
        for (int i = 0; i < in; i++) {
          s += x[t][i] * weight[o * in + i];
        }
        y[t][o] = s;
      }
    }
    return y;
  }

  /**
   * RMSNorm: {@code x / sqrt(mean(x^2) + eps) * (offset + w)}, the epsilon inside the root
   * (transformers modeling_llama.py LlamaRMSNorm.forward: offset 0; modular_gemma.py
   * GemmaRMSNorm.forward: offset 1, weights stored around 0).
   */
  static double[][] rmsNorm(double[][] x, double[] weight, double eps, double offset) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double ms = 0;
      for (double v : x[t]) {
        ms += v * v;
      }
      double inv = 1 / Math.sqrt(ms / x[t].length + eps);
      y[t] = new double[x[t].length];
      for (int i = 0; i < x[t].length; i++) {
        y[t][i] = x[t][i] * inv * (offset + weight[i]);
      }
    }
    return y;
  }

  /** torch.nn.LayerNorm over the last axis: biased variance, epsilon inside the root. */
  static double[][] layerNorm(double[][] x, double[] weight, double[] bias, double eps) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      int n = x[t].length;
      double mean = 0;
      for (double v : x[t]) {
        mean += v;
      }
      mean /= n;
      double var = 0;
      for (double v : x[t]) {
        var += (v - mean) * (v - mean);
      }
      double inv = 1 / Math.sqrt(var / n + eps);
      y[t] = new double[n];
      for (int i = 0; i < n; i++) {
        y[t][i] = (x[t][i] - mean) * inv * weight[i] + bias[i];
      }
    }
    return y;
  }

  /** Softmax over the entries {@code allowed} marks; the others get probability 0. */
  static double[] maskedSoftmax(double[] scores, boolean[] allowed) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < scores.length; j++) {
      if (allowed[j]) {
        max = Math.max(max, scores[j]);
      }
    }
    double[] p = new double[scores.length];
    double sum = 0;
    for (int j = 0; j < scores.length; j++) {
      if (allowed[j]) {
        p[j] = Math.exp(scores[j] - max);
        sum += p[j];
      }
    }
    for (int j = 0; j < scores.length; j++) {
      p[j] = sum == 0 ? 0 : p[j] / sum;
    }
    return p;
  }

  static void addInPlace(double[][] x, double[][] y) {
    for (int t = 0; t < x.length; t++) {
      for (int i = 0; i < x[t].length; i++) {
        x[t][i] += y[t][i];
      }
    }
  }

  /** Rows {@code ids} of an embedding table {@code [vocab, width]}. */
  static double[][] embed(double[] table, int width, int[] ids) {
    double[][] x = new double[ids.length][width];
    for (int t = 0; t < ids.length; t++) {
      System.arraycopy(table, ids[t] * width, x[t], 0, width);
    }
    return x;
  }
}
