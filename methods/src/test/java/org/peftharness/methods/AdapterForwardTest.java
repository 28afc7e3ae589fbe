package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.SiteState;
import org.peftharness.methods.adapter.TensorIO;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.export.Merge;
import org.peftharness.methods.export.PeftAdapter;
import org.peftharness.methods.export.PeftExport;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The adapted forward as TensorFlow ops against host math, trainability, and the PEFT export. */
class AdapterForwardTest {
  private static final long M = 24;
  private static final long N = 16;
  private static final long TOKENS = 5;
  private static final String TARGET = "encoder.layer.0.attention.self.query";
  private static final String OTHER = "encoder.layer.0.intermediate.dense";

  /** The plan whose LoRA-SB η_eff is 1e-3: lr 1e-3, warmup 1, one epoch of one example. */
  static final TrainingPlan PLAN = new TrainingPlan(1e-3, 1.0, 1, 1);

  static List<Arguments> methods() {
    List<Arguments> a = new ArrayList<>();
    variants(MethodRegistry.builtin()).forEach(c -> a.add(Arguments.of(c)));
    // LoRA-FA's residual SVD init (an option the variants leave at its default); seed-svd needs a square W (LoraFaInitTest)
    a.add(Arguments.of(TestConfigs.of("lora-fa", "rank", 4, "alpha", 8, "init", "svd-residual")));
    return a;
  }

  /**
   * Every method of a registry at rank 4 and alpha 8 (where it takes them and does not fix them),
   * and again with each of its boolean options flipped (use_rslora, lorafa_optimizer, ...) where
   * the method accepts that.
   */
  static List<MethodConfig<?>> variants(MethodRegistry registry) {
    List<MethodConfig<?>> out = new ArrayList<>();
    for (FineTuningMethod<?> m : registry.all()) {
      Map<String, Object> base = new LinkedHashMap<>();
      base.put(MethodConfig.METHOD_KEY, m.name());
      for (Option<?> o : m.options()) {
        if (o.key().equals(AdapterOptions.RANK.key())) {
          base.put(o.key(), 4);
        } else if (o.key().equals(AdapterOptions.ALPHA.key()) && !o.fixed()) {
          base.put(o.key(), 8);
        }
      }
      MethodConfig<?> c = registry.config(base, "test");
      out.add(c);
      c.toMap().forEach((key, value) -> {
        if (value instanceof Boolean on) {
          Map<String, Object> flipped = new LinkedHashMap<>(base);
          flipped.put(key, !on);
          try {
            out.add(registry.config(flipped, "test"));
          } catch (InvalidInputException rejected) {
            // the method does not take that combination (LoRA-SB with rsLoRA)
          }
        }
      });
    }
    return out;
  }

  /** A one-matrix "model" declared the way GraphModel declares weights. */
  private static final class Tiny implements AutoCloseable {
    final Graph g = new Graph();
    final Ops tf = Ops.create(g);
    final Nn<TFloat32> nn = new Nn<>(tf, TFloat32.class);
    final Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, N)));
    final List<Op> assigns = new ArrayList<>();
    final List<Placeholder<TFloat32>> feeds = new ArrayList<>();
    final List<FloatTensor> values = new ArrayList<>();
    Session session;

    Variable<TFloat32> param(String name, FloatTensor value) {
      Variable<TFloat32> v = tf.withName(name).variable(Shape.of(value.shape()), TFloat32.class);
      Placeholder<TFloat32> f = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(value.shape())));
      assigns.add(tf.assign(v, f));
      feeds.add(f);
      values.add(value);
      return v;
    }

    Session open() {
      session = new Session(g);
      for (int i = 0; i < assigns.size(); i++) {
        try (TFloat32 t = TensorIO.toTensor(values.get(i))) {
          session.runner().feed(feeds.get(i), t).addTarget(assigns.get(i)).run().close();
        }
      }
      return session;
    }

    FloatTensor run(Operand<TFloat32> y, FloatTensor xv) {
      try (TFloat32 t = TensorIO.toTensor(xv); Result r = session.runner().feed(x, t).fetch(y).run()) {
        return TensorIO.toHost(r.get(0));
      }
    }

    @Override
    public void close() {
      if (session != null) {
        session.close();
      }
      g.close();
    }
  }

  private static FloatTensor hostLinear(FloatTensor x, FloatTensor w, FloatTensor b) {
    Matrix y = Matrix.of(x).mul(Matrix.of(w).transpose());
    for (int i = 0; i < y.rows; i++) {
      for (int j = 0; j < y.cols; j++) {
        y.set(i, j, y.get(i, j) + b.data()[j]);
      }
    }
    return y.toFloat();
  }

  private static void set(Session s, AdapterVariable v, FloatTensor value) {
    try (TFloat32 t = TensorIO.toTensor(value)) {
      s.runner().feed(v.feed(), t).addTarget(v.assign()).run().close();
    }
  }

  /** {@code x Wᵀ + b + s·((x Aᵀ) Rᵀ) Bᵀ} on the host, R left out where null. */
  private static FloatTensor hostAdapted(FloatTensor x, FloatTensor w, FloatTensor b, FloatTensor a, FloatTensor r,
      FloatTensor bMat, double scaling) {
    Matrix bra = Matrix.of(bMat);
    if (r != null) {
      bra = bra.mul(Matrix.of(r));
    }
    return Matrix.of(hostLinear(x, w, b)).plus(Matrix.of(x).mul(Matrix.of(a).transpose()).mul(bra.transpose()).scale(scaling))
        .toFloat();
  }

  /**
   * DoRA's forward on the host, PEFT tuners/lora/dora.py L132-166 with V = W + s·B·A:
   * {@code x Wᵀ + b + (m/‖V‖_row − 1) ⊙ (x Wᵀ) + (m/‖V‖_row) ⊙ s·(x Aᵀ) Bᵀ}.
   */
  static FloatTensor hostDora(FloatTensor x, FloatTensor w, FloatTensor b, FloatTensor a, FloatTensor bMat,
      FloatTensor magnitude, double scaling) {
    double[] norms = Matrix.of(w).plus(Matrix.of(bMat).mul(Matrix.of(a)).scale(scaling)).rowNorms();
    Matrix base = Matrix.of(x).mul(Matrix.of(w).transpose());
    Matrix lora = Matrix.of(x).mul(Matrix.of(a).transpose()).mul(Matrix.of(bMat).transpose());
    Matrix y = new Matrix(base.rows, base.cols, new double[base.rows * base.cols]);
    for (int i = 0; i < y.rows; i++) {
      for (int j = 0; j < y.cols; j++) {
        double scale = magnitude.data()[j] / norms[j];
        y.set(i, j, base.get(i, j) + b.data()[j] + (scale - 1) * base.get(i, j) + scale * lora.get(i, j) * scaling);
      }
    }
    return y.toFloat();
  }

  @ParameterizedTest
  @MethodSource("methods")
  void forwardMatchesHostMathAndExportMergesBack(MethodConfig<?> o) {
    checkForwardAndExport(o);
  }

  /**
   * The adapted forward of one method against host math at init and after a training-like
   * perturbation, its trainable set and count, where it starts, and its PEFT export merged into
   * the original weight. Every registered method passes through here, and so can one defined in a test.
   */
  static void checkForwardAndExport(MethodConfig<?> o) {
    SplittableRandom rng = new SplittableRandom(17);
    FloatTensor w0 = TestTensors.random(rng, 0.5, M, N);
    FloatTensor b0 = TestTensors.random(rng, 0.1, M);
    FloatTensor w2 = TestTensors.random(rng, 0.5, M, N);
    FloatTensor x = TestTensors.random(rng, 1, TOKENS, N);
    FloatTensor grad = TestTensors.random(rng, 1e-2, M, N);
    FineTuningMethod<?> m = o.method();
    AdapterFactory f = AdapterFactory.create(o, TestTargets.ENCODER, null);
    try (Tiny t = new Tiny()) {
      Variable<TFloat32> w = t.param(TARGET + ".weight", w0);
      Variable<TFloat32> b = t.param(TARGET + ".bias", b0);
      Variable<TFloat32> wOther = t.param(OTHER + ".weight", w2);
      LinearSite site = new LinearSite(TARGET, 0, "query", M, N);
      Operand<TFloat32> y = f.build(site, t.nn, t.x, w, b);
      Operand<TFloat32> plain = t.nn.linear(t.x, w, b);
      Operand<TFloat32> other = f.build(new LinearSite(OTHER, 0, "dense", M, N), t.nn, t.x, wOther, null);
      Session s = t.open();

      if (m.trainsNothing()) {
        // the base model as it is: no site, no variable, the plain forward bit for bit
        assertThat(f.sites()).isEmpty();
        assertThat(f.variables()).isEmpty();
        assertThat(f.trainableParameterCount()).isZero();
        assertThat(o.trainablePerMatrix(M, N, true)).isZero();
        assertThat(t.run(y, x).data()).isEqualTo(t.run(plain, x).data());
        assertThat(t.run(other, x).data()).isEqualTo(t.run(t.nn.linear(t.x, wOther, null), x).data());
        assertThat(o.peftConversion()).isEmpty();
        return;
      }
      if (m.trainsWholeModel()) {
        assertThat(f.sites()).hasSize(2);
        assertThat(f.trainableVariables().stream().map(AdapterVariable::role).collect(Collectors.toList()))
            .containsExactly(Role.WEIGHT, Role.BIAS, Role.WEIGHT);
        assertThat(t.run(y, x).data()).isEqualTo(t.run(plain, x).data());
        assertThat(o.peftConversion()).isEmpty();
        assertThatThrownBy(() -> PeftExport.export(o, f.targetModules(), f.snapshot(s),
            new PeftExport.Info("", "SEQ_CLS", "x", null))).isInstanceOf(IllegalArgumentException.class);
        SiteState st = f.snapshot(s).get(TARGET);
        assertThat(st.weight().data()).isEqualTo(w0.data());
        return;
      }
      // the non-targeted site is plain and declares nothing
      assertThat(f.site(OTHER)).isNull();
      assertThat(f.sites()).hasSize(1);
      assertThat(t.run(other, x).data()).isEqualTo(t.run(t.nn.linear(t.x, wOther, null), x).data());

      AdapterSite as = f.site(TARGET);
      Set<Role> trainable = f.trainableVariables().stream().map(AdapterVariable::role).collect(Collectors.toSet());
      assertThat(trainable).isEqualTo(m.trainableRoles());
      assertThat(f.trainableParameterCount()).isEqualTo(o.trainablePerMatrix(M, N, true));
      assertThat(as.variable(Role.WEIGHT).trainable()).isFalse();

      if (o.gradientEstimation().isPresent()) {
        f.zeroAdapters(s);
        assertThat(t.run(y, x).data()).as("zeroed adapters compute the base model").isEqualTo(t.run(plain, x).data());
      }
      f.initialize(s, new SeedStreams(42), Map.of(TARGET, grad), PLAN);
      FloatTensor yInit = t.run(y, x);
      FloatTensor yBase = hostLinear(x, w0, b0);
      SiteInit init = as.init();
      double scaling = TestConfigs.scaling(o);
      FloatTensor m0 = init.tensors().get(DoraMethod.MAGNITUDE);
      FloatTensor hostInit = m0 != null ? hostDora(x, w0, b0, init.a(), init.b(), m0, scaling)
          : hostAdapted(x, init.residual() != null ? init.residual() : w0, b0, init.a(), init.r(), init.b(), scaling);
      assertThat(TestTensors.maxAbsDiff(yInit, hostInit)).as("the forward at init on the host").isLessThan(1e-5);
      switch (o.startingPoint()) {
        case BASE_MODEL -> {
          // the delta starts at zero: the adapted forward equals the plain forward exactly
          assertThat(yInit.data()).isEqualTo(t.run(plain, x).data());
          assertThat(yInit.data()).isEqualTo(t.run(t.nn.linear(t.x, w, b), x).data());
        }
        case BASE_MODEL_UP_TO_ROUNDING -> assertThat(TestTensors.maxAbsDiff(yInit, yBase)).isLessThan(1e-5);
        // LoRA-XS: R ~ N(0, 1e-10), the start differs from the base only by s·B·R·A ≈ 0
        case NEAR_BASE_MODEL -> assertThat(TestTensors.maxAbsDiff(yInit, yBase)).isLessThan(1e-3).isGreaterThan(0.0);
        case MOVED -> assertThat(TestTensors.maxAbsDiff(yInit, yBase)).isGreaterThan(0.0);
      }
      // an optimizer-side transform leaves the gradients of variables it does not concern as they are
      f.gradientTransform(t.tf).ifPresent(tr -> {
        Operand<TFloat32> g = t.tf.constant(new float[][] {{1, 0, 0, 0}});
        assertThat(tr.apply(OTHER + ".weight", g)).isSameAs(g);
      });

      // training-like perturbation of every adapter tensor (A, B, R, DoRA's magnitude around its init)
      for (AdapterVariable v : as.variables().values()) {
        if (v.role().equals(DoraMethod.MAGNITUDE)) {
          FloatTensor noise = TestTensors.random(rng, 0.3, v.shape());
          for (int i = 0; i < noise.size(); i++) {
            noise.data()[i] += m0.data()[i];
          }
          set(s, v, noise);
        } else if (!v.role().equals(Role.WEIGHT) && !v.role().equals(Role.BIAS)) {
          set(s, v, TestTensors.random(rng, 0.3, v.shape()));
        }
      }
      SiteState st = f.snapshot(s).get(TARGET);
      FloatTensor magnitude = st.own().get(DoraMethod.MAGNITUDE);
      boolean dora = magnitude != null;
      FloatTensor yTrained = t.run(y, x);
      // host: x W^T + b + s ((x A^T) R^T) B^T, or DoRA's forward
      FloatTensor hostY = dora ? hostDora(x, st.weight(), b0, st.a(), st.b(), magnitude, scaling)
          : hostAdapted(x, st.weight(), b0, st.a(), st.r(), st.b(), scaling);
      assertThat(TestTensors.maxAbsDiff(yTrained, hostY)).isLessThan(1e-5);
      FloatTensor merged = dora ? Merge.dora(st.weight(), st.a(), st.b(), magnitude, scaling)
          : Merge.merged(st.weight(), st.a(), st.b(), st.r(), scaling);
      assertThat(TestTensors.maxAbsDiff(yTrained, hostLinear(x, merged, b0))).isLessThan(1e-5);

      // PEFT export merged into the ORIGINAL base equals the method's merged weight
      PeftAdapter peft = PeftExport.export(o, f.targetModules(), f.snapshot(s),
          new PeftExport.Info("roberta.", "SEQ_CLS", "roberta-large", List.of("classifier")));
      String prefix = "base_model.model.roberta." + TARGET;
      if (dora) {
        assertThat(peft.tensors().keySet()).containsExactly(prefix + ".lora_A.weight", prefix + ".lora_B.weight",
            prefix + ".lora_magnitude_vector");
        assertThat(peft.tensors().get(prefix + ".lora_magnitude_vector").data()).isEqualTo(magnitude.data());
      } else {
        assertThat(peft.tensors().keySet()).containsExactly(prefix + ".lora_A.weight", prefix + ".lora_B.weight");
      }
      Map<String, Object> c = peft.config();
      int r = (Integer) c.get("r");
      double alpha = (Double) c.get("lora_alpha");
      boolean rslora = o.adapterOptions().orElseThrow().rslora();
      // a residual base is exported as PEFT's rank-2r LoRA on W0
      assertThat(r).isEqualTo(init.residual() != null ? 2 * o.rank() : o.rank());
      assertThat(peft.tensors().get(prefix + ".lora_A.weight").shape()).containsExactly(r, N);
      assertThat(peft.tensors().get(prefix + ".lora_B.weight").shape()).containsExactly(M, r);
      assertThat(c).containsEntry("peft_type", "LORA").containsEntry("use_rslora", rslora).containsEntry("use_dora", dora)
          .containsEntry("init_lora_weights", true).containsEntry("bias", "none").containsEntry("task_type", "SEQ_CLS")
          .containsEntry("target_modules", TestTargets.ENCODER).containsEntry("modules_to_save", List.of("classifier"));
      FloatTensor viaPeft = dora
          ? Merge.applyPeftDora(w0, peft.tensors().get(prefix + ".lora_A.weight"), peft.tensors().get(prefix + ".lora_B.weight"),
              peft.tensors().get(prefix + ".lora_magnitude_vector"), r, alpha, rslora)
          : Merge.applyPeft(w0, peft.tensors().get(prefix + ".lora_A.weight"), peft.tensors().get(prefix + ".lora_B.weight"),
              r, alpha, rslora);
      assertThat(TestTensors.maxAbsDiff(viaPeft, merged)).as("PEFT export on W0 vs merged").isLessThan(1e-5);
    }
  }

  /** A rank beyond min(m, n) = 16: a method whose shape check rejects it makes the build fail, naming the module. */
  @ParameterizedTest
  @MethodSource("methods")
  void rejectsRanksTheShapeCannotHold(MethodConfig<?> o) {
    if (o.adapterOptions().isEmpty()) {
      return;
    }
    MethodConfig<?> big = TestConfigs.of(o.name(), "rank", 17);
    boolean rejects;
    try {
      big.checkShape(TARGET, M, N);
      rejects = false;
    } catch (InvalidInputException e) {
      rejects = true;
    }
    AdapterFactory f = AdapterFactory.create(big, TestTargets.ENCODER, null);
    try (Tiny t = new Tiny()) {
      Variable<TFloat32> w = t.param(TARGET + ".weight", FloatTensor.zeros(M, N));
      if (rejects) {
        assertThatThrownBy(() -> f.build(new LinearSite(TARGET, 0, "query", M, N), t.nn, t.x, w, null))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining(TARGET);
      } else {
        assertThat(f.build(new LinearSite(TARGET, 0, "query", M, N), t.nn, t.x, w, null)).isNotNull();
      }
    }
  }
}
