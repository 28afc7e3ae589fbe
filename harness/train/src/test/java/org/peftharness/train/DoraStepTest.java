package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.Role;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.TensorIO;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * DoRA on one small matrix in float64: the forward, the gradients of A, B and m, and the first
 * AdamW step, each against host float64 arithmetic written here from PEFT's formulas
 * (tuners/lora/dora.py DoraLinearLayer.forward L132-166, the row norm detached at L152):
 * <pre>
 *   V = W0 + s·B·A,  c_j = m_j / ‖V_j‖ (a constant for the gradient),  base = x W0ᵀ,  L = (x Aᵀ) Bᵀ
 *   y = base + b + (c − 1) ⊙ base + c ⊙ s·L
 *   ∂/∂m_j = Σ_i G_ij (base_ij + s·L_ij) / ‖V_j‖,  Q = G ⊙ c · s,  ∂/∂B = Qᵀ (x Aᵀ),  ∂/∂A = (Q B)ᵀ x
 * </pre>
 * with G = ∂loss/∂y for the loss {@code Σ y ⊙ T}, so G = T. Once at init (B = 0, m = ‖W0‖_row) and
 * once from a moved state, where B ≠ 0 and a gradient through the norm would show.
 */
class DoraStepTest {
  private static final int M = 4;
  private static final int N = 6;
  private static final int TOKENS = 3;
  private static final int RANK = 2;
  private static final double ALPHA = 4;
  private static final double LR = 1e-2;
  private static final double WEIGHT_DECAY = 0.1;
  private static final AdamW.Hyper HYPER = new AdamW.Hyper(0.9, 0.999, 1e-8, 0);

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void forwardGradientsAndFirstAdamWStepMatchPeftsFormulas(boolean moved) {
    SplittableRandom rng = new SplittableRandom(5);
    double[][] w0 = random(rng, M, N, 0.5);
    double[] bias = random(rng, 1, M, 0.1)[0];
    double[][] x = random(rng, TOKENS, N, 1);
    double[][] target = random(rng, TOKENS, M, 1);
    double s = ALPHA / RANK;
    MethodConfig<?> dora = MethodConfig.fromMap(Map.of("method", "dora", "rank", RANK, "alpha", ALPHA), "test");
    AdapterFactory f = AdapterFactory.create(dora, List.of("query"), null);
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      Nn<TFloat64> nn = new Nn<>(tf, TFloat64.class);
      Variable<TFloat64> w = tf.withName("query.weight").variable(Shape.of(M, N), TFloat64.class);
      Variable<TFloat64> b = tf.withName("query.bias").variable(Shape.of(M), TFloat64.class);
      List<Op> inits = List.of(tf.assign(w, tf.constant(w0)), tf.assign(b, tf.constant(bias)));
      Operand<TFloat64> y = f.build(new LinearSite("query", 0, "query", M, N), nn, tf.constant(x), w, b);
      Operand<TFloat64> loss = tf.reduceSum(tf.math.mul(y, tf.constant(target)), tf.constant(new int[] {0, 1}));
      AdapterSite site = f.site("query");
      Map<String, Variable<TFloat64>> vars = new LinkedHashMap<>();
      for (AdapterVariable v : f.trainableVariables()) {
        @SuppressWarnings("unchecked")
        Variable<TFloat64> typed = (Variable<TFloat64>) v.variable();
        vars.put(v.name(), typed);
      }
      assertThat(vars.keySet()).containsExactly("query.lora_A", "query.lora_B", "query.lora_magnitude_vector");
      AdamW<TFloat64> opt = new AdamW<>(tf, TFloat64.class, List.of(new ParamGroup<>("dora", vars, LR, WEIGHT_DECAY)), HYPER);
      Gradients grads = tf.gradients(loss, opt.variables());
      List<Operand<TFloat64>> gradients = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat64> dy = (Operand<TFloat64>) (Output<?>) grads.dy(i);
        gradients.add(dy);
      }
      AdamW.Update update = opt.build(gradients, List.of(), null);
      inits.forEach(op -> session.runner().addTarget(op).run().close());
      f.initialize(session, new SeedStreams(9), Map.of(), null);
      opt.initialize(session);

      double[][] a = matrix(site.init().a());
      double[][] bMat = matrix(site.init().b());
      double[] m = toDoubles(site.init().tensors().get(DoraMethod.MAGNITUDE));
      assertThat(flat(bMat)).as("B = 0 at init").containsOnly(0.0);
      double[] w0Norms = rowNorms(w0);
      for (int j = 0; j < M; j++) {
        assertThat(m[j]).as("m = ||W0||_row rounded to float32").isEqualTo((double) (float) w0Norms[j]);
      }
      if (moved) {
        a = random(rng, RANK, N, 0.3);
        bMat = random(rng, M, RANK, 0.3);
        for (int j = 0; j < M; j++) {
          m[j] += 0.2 * (2 * rng.nextDouble() - 1);
        }
        set(session, site.variable(Role.A), a);
        set(session, site.variable(Role.B), bMat);
        set(session, site.variable(DoraMethod.MAGNITUDE), new double[][] {m});
        // the variables were fed through float32 placeholders: the host continues from those values
        a = read(session, vars.get("query.lora_A"), RANK, N);
        bMat = read(session, vars.get("query.lora_B"), M, RANK);
        m = read(session, vars.get("query.lora_magnitude_vector"));
      }

      // host: PEFT's forward and the gradients with the norm held constant
      double[][] v = plus(w0, scale(mul(bMat, a), s));
      double[] norm = rowNorms(v);
      double[] c = new double[M];
      for (int j = 0; j < M; j++) {
        c[j] = m[j] / norm[j];
      }
      double[][] base = mul(x, transpose(w0));
      double[][] h = mul(x, transpose(a));
      double[][] lora = mul(h, transpose(bMat));
      double[][] yHost = new double[TOKENS][M];
      double[][] q = new double[TOKENS][M];
      double[] gradM = new double[M];
      for (int i = 0; i < TOKENS; i++) {
        for (int j = 0; j < M; j++) {
          yHost[i][j] = base[i][j] + bias[j] + (c[j] - 1) * base[i][j] + c[j] * lora[i][j] * s;
          q[i][j] = target[i][j] * c[j] * s;
          gradM[j] += target[i][j] * (base[i][j] + s * lora[i][j]) / norm[j];
        }
      }
      double[][] gradB = mul(transpose(q), h);
      double[][] gradA = mul(transpose(mul(q, bMat)), x);

      try (Result r = session.runner().fetch(y).fetch(gradients.get(0)).fetch(gradients.get(1)).fetch(gradients.get(2)).run()) {
        assertClose(HostTensors.toDoubles(r.get(0)), flat(yHost), "forward");
        assertClose(HostTensors.toDoubles(r.get(1)), flat(gradA), "dL/dA");
        assertClose(HostTensors.toDoubles(r.get(2)), flat(gradB), "dL/dB");
        assertClose(HostTensors.toDoubles(r.get(3)), gradM, "dL/dm");
      }
      try (TFloat64 lr = TFloat64.scalarOf(LR)) {
        session.runner().feed(opt.learningRate(0), lr).addTarget(update.train()).run().close();
      }
      // torch.optim.AdamW's first step: p·(1 − lr·wd) − lr·ĝ/(√v̂ + eps), with m̂ = g and √v̂ = |g|
      assertClose(read(session, vars.get("query.lora_A")), adamWFirstStep(flat(a), flat(gradA)), "A after one step");
      assertClose(read(session, vars.get("query.lora_B")), adamWFirstStep(flat(bMat), flat(gradB)), "B after one step");
      assertClose(read(session, vars.get("query.lora_magnitude_vector")), adamWFirstStep(m, gradM),
          "m after one step");
    }
  }

  private static double[] adamWFirstStep(double[] p, double[] g) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      double m1 = (1 - HYPER.beta1()) * g[i];
      double v1 = (1 - HYPER.beta2()) * g[i] * g[i];
      double denom = Math.sqrt(v1) / Math.sqrt(1 - HYPER.beta2()) + HYPER.eps();
      out[i] = p[i] * (1 - LR * WEIGHT_DECAY) - LR / (1 - HYPER.beta1()) * m1 / denom;
    }
    return out;
  }

  private static void assertClose(double[] got, double[] want, String what) {
    assertThat(got).as(what).hasSameSizeAs(want);
    for (int i = 0; i < want.length; i++) {
      assertThat(Math.abs(got[i] - want[i])).as("%s [%d]: %s vs %s", what, i, got[i], want[i])
          .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(want[i])));
    }
  }

  private static void set(Session session, AdapterVariable v, double[][] value) {
    float[] data = new float[value.length * value[0].length];
    for (int i = 0; i < value.length; i++) {
      for (int j = 0; j < value[0].length; j++) {
        data[i * value[0].length + j] = (float) value[i][j];
      }
    }
    try (TFloat32 t = TensorIO.toTensor(new FloatTensor(v.shape(), data))) {
      session.runner().feed(v.feed(), t).addTarget(v.assign()).run().close();
    }
  }

  private static double[] read(Session session, Variable<TFloat64> v) {
    try (Result r = session.runner().fetch(v).run()) {
      return HostTensors.toDoubles(r.get(0));
    }
  }

  private static double[][] read(Session session, Variable<TFloat64> v, int rows, int cols) {
    double[] d = read(session, v);
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(d, i * cols, out[i], 0, cols);
    }
    return out;
  }

  private static double[][] random(SplittableRandom rng, int rows, int cols, double scale) {
    double[][] out = new double[rows][cols];
    for (double[] row : out) {
      for (int j = 0; j < cols; j++) {
        // float32 values, so that W0 read back as float32 by the initialisation is the W0 used here
        row[j] = (float) (scale * (2 * rng.nextDouble() - 1));
      }
    }
    return out;
  }

  private static double[][] matrix(FloatTensor t) {
    int rows = Math.toIntExact(t.dim(0));
    int cols = Math.toIntExact(t.dim(1));
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = t.data()[i * cols + j];
      }
    }
    return out;
  }

  private static double[] toDoubles(FloatTensor t) {
    double[] out = new double[t.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.data()[i];
    }
    return out;
  }

  private static double[] flat(double[][] a) {
    double[] out = new double[a.length * a[0].length];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
    }
    return out;
  }

  private static double[] rowNorms(double[][] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double sum = 0;
      for (double e : a[i]) {
        sum += e * e;
      }
      out[i] = Math.sqrt(sum);
    }
    return out;
  }

  private static double[][] mul(double[][] a, double[][] b) {
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        for (int j = 0; j < b[0].length; j++) {
          out[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return out;
  }

  private static double[][] transpose(double[][] a) {
    double[][] out = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        out[j][i] = a[i][j];
      }
    }
    return out;
  }

  private static double[][] plus(double[][] a, double[][] b) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        out[i][j] = a[i][j] + b[i][j];
      }
    }
    return out;
  }

  private static double[][] scale(double[][] a, double s) {
    double[][] out = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        out[i][j] = a[i][j] * s;
      }
    }
    return out;
  }
}
