package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.arch.LlamaArchitecture;
import org.peftharness.model.graph.Activation;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.types.TFloat32;

/**
 * An architecture defined only here, a Llama whose MLP gate uses exact GELU instead of SiLU,
 * plugs in through {@link ArchitectureRegistry#with} without touching the harness's code, and its
 * graph computes what an independent float64 forward pass with GELU computes. The host pass is
 * first held to the fixture's numpy logits with SiLU, so it is a reference, not a copy of the graph.
 */
class ThrowawayArchitectureTest {
  /** The throwaway family: Llama with {@code hidden_act: gelu}. */
  static final class GeluLlama extends LlamaArchitecture {
    @Override
    public String name() {
      return "GELU-Llama";
    }

    @Override
    public List<String> modelTypes() {
      return List.of("gelu-llama");
    }

    @Override
    protected String hiddenAct() {
      return "gelu";
    }

    @Override
    protected Activation mlpActivation() {
      return Activation.GELU;
    }
  }

  @TempDir Path dir;

  @Test
  void aLlamaVariantWithAGeluMlpBuildsAndMatchesHostMath() throws IOException {
    Path fixture = SharedFiles.fixture("tiny-llama-gqa-tied");
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(fixture.resolve("expected_logits.json")));
    int[] ids = MiniLmParityTest.ints(expected.get("input_ids"));
    Path variant = Files.createDirectories(dir.resolve("gelu-llama"));
    Files.writeString(variant.resolve("config.json"), Files.readString(fixture.resolve("config.json"))
        .replace("\"llama\"", "\"gelu-llama\"").replace("\"silu\"", "\"gelu\""));
    Files.copy(fixture.resolve("model.safetensors"), variant.resolve("model.safetensors"));
    Files.copy(fixture.resolve("tokenizer.json"), variant.resolve("tokenizer.json"));

    assertThatThrownBy(() -> PretrainedModel.open(variant.toString())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unsupported model type 'gelu-llama'");

    ArchitectureRegistry registry = ArchitectureRegistry.BUILT_IN.with(new GeluLlama());
    try (PretrainedModel model = PretrainedModel.open(variant.toString(), registry);
        var graph = (DecoderModel<TFloat32>) model.buildGraph(TFloat32.class, LinearFactory.PLAIN);
        SafetensorsWeights weights = new SafetensorsWeights(fixture)) {
      ModelConfig c = model.config();
      assertThat(c.architecture()).isInstanceOf(GeluLlama.class);
      int vocab = c.vocabSize();
      double[][] numpy = new double[ids.length][vocab];
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          numpy[t][v] = expected.get("logits").get(t).get(v).asDouble();
        }
      }
      HostLlama host = new HostLlama(c, weights);
      assertThat(maxDiff(host.logits(ids, HostLlama::silu), numpy)).as("host SiLU vs numpy").isLessThan(1e-4);

      int[] mask = new int[ids.length];
      Arrays.fill(mask, 1);
      FloatTensor logits = graph.forward(new int[][] {ids}, new int[][] {mask});
      double[][] fromGraph = new double[ids.length][vocab];
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          fromGraph[t][v] = logits.data()[t * vocab + v];
        }
      }
      assertThat(maxDiff(fromGraph, host.logits(ids, HostLlama::gelu))).as("graph vs host GELU").isLessThan(1e-4);
      assertThat(maxDiff(fromGraph, numpy)).as("GELU variant vs Llama").isGreaterThan(1e-3);
      assertThat(c.architecture().linearSites(c)).containsExactlyElementsOf(graph.linearSites().values());
    }
  }

  private static double maxDiff(double[][] a, double[][] b) {
    double max = 0;
    for (int t = 0; t < a.length; t++) {
      for (int v = 0; v < a[t].length; v++) {
        max = Math.max(max, Math.abs(a[t][v] - b[t][v]));
      }
    }
    return max;
  }

  /**
   * Llama's forward in float64 on the host, written from transformers' modeling_llama.py:
   * RMSNorm with eps inside the root, rotate-half RoPE, grouped-query causal attention, gated MLP
   * {@code down(act(gate(x)) * up(x))}, tied or separate head.
   */
  static final class HostLlama {
    private final ModelConfig c;
    private final Weights w;

    HostLlama(ModelConfig c, Weights w) {
      this.c = c;
      this.w = w;
    }

    static double silu(double x) {
      return x / (1 + Math.exp(-x));
    }

    static double gelu(double x) {
      return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /** erf by its Maclaurin series (|x| small) or continued fraction of erfc, to about 1e-12. */
    static double erf(double x) {
      double ax = Math.abs(x);
      if (ax < 2.5) {
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 80; n++) {
          term *= -ax * ax / n;
          sum += term / (2 * n + 1);
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
      }
      double f = 0;
      for (int n = 60; n >= 1; n--) {
        f = n / 2.0 / (ax + f);
      }
      double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
      return Math.signum(x) * (1 - erfc);
    }

    double[][] logits(int[] ids, DoubleUnaryOperator act) {
      int h = c.hiddenSize();
      int n = ids.length;
      double[][] emb = matrix("model.embed_tokens.weight");
      double[][] x = new double[n][];
      for (int t = 0; t < n; t++) {
        x[t] = emb[ids[t]].clone();
      }
      for (int l = 0; l < c.numLayers(); l++) {
        String p = "model.layers." + l + ".";
        double[][] a = rms(x, vector(p + "input_layernorm.weight"));
        double[][] ctx = attention(matmul(a, matrix(p + "self_attn.q_proj.weight")),
            matmul(a, matrix(p + "self_attn.k_proj.weight")), matmul(a, matrix(p + "self_attn.v_proj.weight")));
        x = add(x, matmul(ctx, matrix(p + "self_attn.o_proj.weight")));
        double[][] m = rms(x, vector(p + "post_attention_layernorm.weight"));
        double[][] gate = matmul(m, matrix(p + "mlp.gate_proj.weight"));
        double[][] up = matmul(m, matrix(p + "mlp.up_proj.weight"));
        for (int t = 0; t < n; t++) {
          for (int j = 0; j < gate[t].length; j++) {
            gate[t][j] = act.applyAsDouble(gate[t][j]) * up[t][j];
          }
        }
        x = add(x, matmul(gate, matrix(p + "mlp.down_proj.weight")));
      }
      x = rms(x, vector("model.norm.weight"));
      double[][] head = c.tieWordEmbeddings() ? emb : matrix("lm_head.weight");
      assertThat(head[0]).hasSize(h);
      return matmul(x, head);
    }

    private double[][] attention(double[][] q, double[][] k, double[][] v) {
      int n = q.length;
      int d = c.headDim();
      int group = c.numHeads() / c.numKvHeads();
      rope(q, c.numHeads());
      rope(k, c.numKvHeads());
      double[][] out = new double[n][c.numHeads() * d];
      for (int head = 0; head < c.numHeads(); head++) {
        int kv = head / group;
        for (int i = 0; i < n; i++) {
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            for (int e = 0; e < d; e++) {
              s[j] += q[i][head * d + e] * k[j][kv * d + e];
            }
            s[j] /= Math.sqrt(d);
            max = Math.max(max, s[j]);
          }
          double z = 0;
          for (int j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j] - max);
            z += s[j];
          }
          for (int j = 0; j <= i; j++) {
            for (int e = 0; e < d; e++) {
              out[i][head * d + e] += s[j] / z * v[j][kv * d + e];
            }
          }
        }
      }
      return out;
    }

    /** Rotate-half RoPE at positions 0..n-1 on every head of {@code x [n, heads*d]}, in place. */
    private void rope(double[][] x, int heads) {
      int d = c.headDim();
      for (int t = 0; t < x.length; t++) {
        for (int head = 0; head < heads; head++) {
          double[] r = Arrays.copyOfRange(x[t], head * d, head * d + d);
          for (int i = 0; i < d; i++) {
            int f = i % (d / 2);
            double angle = t * Math.pow(c.ropeTheta(), -2.0 * f / d);
            double rotated = i < d / 2 ? -r[i + d / 2] : r[i - d / 2];
            x[t][head * d + i] = r[i] * Math.cos(angle) + rotated * Math.sin(angle);
          }
        }
      }
    }

    private double[][] rms(double[][] x, double[] weight) {
      double[][] out = new double[x.length][];
      for (int t = 0; t < x.length; t++) {
        double ms = 0;
        for (double v : x[t]) {
          ms += v * v;
        }
        double scale = 1 / Math.sqrt(ms / x[t].length + c.normEps());
        out[t] = new double[x[t].length];
        for (int j = 0; j < x[t].length; j++) {
          out[t][j] = weight[j] * x[t][j] * scale;
        }
      }
      return out;
    }

    /** {@code x [n, in]} times the transpose of a PyTorch weight {@code [out, in]}. */
    private static double[][] matmul(double[][] x, double[][] weight) {
      double[][] out = new double[x.length][weight.length];
      for (int t = 0; t < x.length; t++) {
        for (int o = 0; o < weight.length; o++) {
          double s = 0;
          for (int i = 0; i < x[t].length; i++) {
            s += x[t][i] * weight[o][i];
          }
          out[t][o] = s;
        }
      }
      return out;
    }

    private static double[][] add(double[][] a, double[][] b) {
      double[][] out = new double[a.length][];
      for (int t = 0; t < a.length; t++) {
        out[t] = new double[a[t].length];
        for (int j = 0; j < a[t].length; j++) {
          out[t][j] = a[t][j] + b[t][j];
        }
      }
      return out;
    }

    private double[][] matrix(String name) {
      FloatTensor f = w.read(name);
      int rows = (int) f.shape()[0];
      int cols = (int) f.shape()[1];
      double[][] m = new double[rows][cols];
      for (int r = 0; r < rows; r++) {
        for (int col = 0; col < cols; col++) {
          m[r][col] = f.data()[r * cols + col];
        }
      }
      return m;
    }

    private double[] vector(String name) {
      float[] f = w.read(name).data();
      double[] v = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        v[i] = f[i];
      }
      return v;
    }
  }
}
