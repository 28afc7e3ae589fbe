package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
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
import org.peftharness.methods.export.Merge;
import org.peftharness.methods.export.PeftAdapter;
import org.peftharness.methods.export.PeftExport;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.linalg.Matrix;
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

  static List<Arguments> methods() {
    List<Arguments> a = new ArrayList<>();
    a.add(Arguments.of(MethodOptions.defaults("lora").withRank(4).withAlpha(8)));
    a.add(Arguments.of(MethodOptions.defaults("lora").withRank(4).withAlpha(8).withRslora(true)));
    a.add(Arguments.of(MethodOptions.defaults("lora-fa").withRank(4).withAlpha(8)));
    a.add(Arguments.of(MethodOptions.defaults("lora-fa").withRank(4).withAlpha(8).withLoraFaOptimizer(false)));
    a.add(Arguments.of(MethodOptions.defaults("pissa").withRank(4).withAlpha(8)));
    a.add(Arguments.of(MethodOptions.defaults("pissa").withRank(4).withAlpha(8).withRslora(true)));
    a.add(Arguments.of(MethodOptions.defaults("lora-ga").withRank(4).withAlpha(8)));
    a.add(Arguments.of(MethodOptions.defaults("lora-ga").withRank(4).withAlpha(8).withRslora(true)));
    a.add(Arguments.of(MethodOptions.defaults("lora-xs").withRank(4).withAlpha(16)));
    a.add(Arguments.of(MethodOptions.defaults("lora-sb").withRank(4).withAlpha(4)));
    a.add(Arguments.of(MethodOptions.defaults("full")));
    return a;
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

  @ParameterizedTest
  @MethodSource("methods")
  void forwardMatchesHostMathAndExportMergesBack(MethodOptions o) {
    SplittableRandom rng = new SplittableRandom(17);
    FloatTensor w0 = TestTensors.random(rng, 0.5, M, N);
    FloatTensor b0 = TestTensors.random(rng, 0.1, M);
    FloatTensor w2 = TestTensors.random(rng, 0.5, M, N);
    FloatTensor x = TestTensors.random(rng, 1, TOKENS, N);
    FloatTensor grad = TestTensors.random(rng, 1e-2, M, N);
    Method m = o.method();
    AdapterFactory f = AdapterFactory.create(o, TargetModules.ENCODER, null);
    try (Tiny t = new Tiny()) {
      Variable<TFloat32> w = t.param(TARGET + ".weight", w0);
      Variable<TFloat32> b = t.param(TARGET + ".bias", b0);
      Variable<TFloat32> wOther = t.param(OTHER + ".weight", w2);
      LinearSite site = new LinearSite(TARGET, 0, "query", M, N);
      Operand<TFloat32> y = f.build(site, t.nn, t.x, w, b);
      Operand<TFloat32> plain = t.nn.linear(t.x, w, b);
      Operand<TFloat32> other = f.build(new LinearSite(OTHER, 0, "dense", M, N), t.nn, t.x, wOther, null);
      Session s = t.open();

      if (m.isFull()) {
        assertThat(f.sites()).hasSize(2);
        assertThat(f.trainableVariables().stream().map(AdapterVariable::role).collect(Collectors.toList()))
            .containsExactly(Role.WEIGHT, Role.BIAS, Role.WEIGHT);
        assertThat(t.run(y, x).data()).isEqualTo(t.run(plain, x).data());
        assertThat(PeftExport.supports(m)).isFalse();
        SiteState st = f.snapshot(s).get(TARGET);
        assertThat(Merge.merged(o, st).data()).isEqualTo(w0.data());
        return;
      }
      // the non-targeted site is plain and declares nothing
      assertThat(f.site(OTHER)).isNull();
      assertThat(f.sites()).hasSize(1);
      assertThat(t.run(other, x).data()).isEqualTo(t.run(t.nn.linear(t.x, wOther, null), x).data());

      AdapterSite as = f.site(TARGET);
      Set<Role> trainable = f.trainableVariables().stream().map(AdapterVariable::role).collect(Collectors.toSet());
      assertThat(trainable).isEqualTo(m.trainable());
      assertThat(f.trainableParameterCount()).isEqualTo(m.trainablePerMatrix(M, N, o.rank(), true));
      assertThat(as.variable(Role.WEIGHT).trainable()).isFalse();

      if (m.needsGradientEstimate()) {
        f.zeroAdapters(s);
        assertThat(t.run(y, x).data()).as("zeroed adapters compute the base model").isEqualTo(t.run(plain, x).data());
      }
      f.initialize(s, new SeedStreams(42), Map.of(TARGET, grad), 1e-3);
      FloatTensor yInit = t.run(y, x);
      FloatTensor yBase = hostLinear(x, w0, b0);
      switch (m.name()) {
        case "lora":
        case "lora-fa":
          // B = 0: the adapted forward equals the plain forward exactly
          assertThat(yInit.data()).isEqualTo(t.run(plain, x).data());
          assertThat(yInit.data()).isEqualTo(t.run(t.nn.linear(t.x, w, b), x).data());
          break;
        case "pissa":
        case "lora-ga":
          assertThat(TestTensors.maxAbsDiff(yInit, yBase)).isLessThan(1e-5);
          break;
        case "lora-xs":
          // R ~ N(0, 1e-10): the start differs from the base only by s·B·R·A ≈ 0
          assertThat(TestTensors.maxAbsDiff(yInit, yBase)).isLessThan(1e-3).isGreaterThan(0.0);
          break;
        default:
          break;
      }
      if (m.name().equals("lora-fa") && o.loraFaOptimizer()) {
        FloatTensor p = as.loraFaPreconditioner();
        Matrix a = Matrix.of(as.init().a());
        Matrix gram = a.mul(a.transpose()).plus(Matrix.identity(o.rank()).scale(1e-8)).scale(o.scaling() * o.scaling());
        assertThat(Matrix.of(p).mul(gram).maxAbsDiff(Matrix.identity(o.rank()))).isLessThan(1e-4);
        Operand<TFloat32> gB = t.tf.constant(new float[][] {{1, 0, 0, 0}});
        try (Result r = s.runner().fetch(as.correctedGradientB(t.tf, gB)).run()) {
          FloatTensor corrected = TensorIO.toHost(r.get(0));
          for (int j = 0; j < o.rank(); j++) {
            assertThat((double) corrected.data()[j]).isCloseTo(p.get(0, j), org.assertj.core.data.Offset.offset(1e-6 * Math.abs(p.get(0, j)) + 1e-12));
          }
        }
      } else {
        assertThat(as.variable(Role.LORAFA_PRECONDITIONER)).isNull();
        assertThatThrownBy(() -> as.correctedGradientB(t.tf, t.tf.constant(new float[][] {{1, 0, 0, 0}})))
            .isInstanceOf(IllegalStateException.class);
      }

      // training-like perturbation of every adapter tensor
      for (Role role : EnumSet.of(Role.A, Role.B, Role.R)) {
        AdapterVariable v = as.variable(role);
        if (v != null) {
          set(s, v, TestTensors.random(rng, 0.3, v.shape()));
        }
      }
      SiteState st = f.snapshot(s).get(TARGET);
      FloatTensor yTrained = t.run(y, x);
      Matrix bra = Matrix.of(st.b());
      if (st.r() != null) {
        bra = bra.mul(Matrix.of(st.r()));
      }
      // host: x W^T + b + s ((x A^T) R^T) B^T
      Matrix hostY = Matrix.of(hostLinear(x, st.weight(), b0))
          .plus(Matrix.of(x).mul(Matrix.of(st.a()).transpose()).mul(bra.transpose()).scale(o.scaling()));
      assertThat(TestTensors.maxAbsDiff(yTrained, hostY.toFloat())).isLessThan(1e-5);
      FloatTensor merged = Merge.merged(o, st);
      assertThat(TestTensors.maxAbsDiff(yTrained, hostLinear(x, merged, b0))).isLessThan(1e-5);

      // PEFT export merged into the ORIGINAL base equals the method's merged weight
      PeftAdapter peft = PeftExport.export(o, f.targetModules(), f.snapshot(s),
          new PeftExport.Info("roberta.", "SEQ_CLS", "roberta-large", List.of("classifier")));
      String prefix = "base_model.model.roberta." + TARGET;
      assertThat(peft.tensors().keySet()).containsExactly(prefix + ".lora_A.weight", prefix + ".lora_B.weight");
      Map<String, Object> c = peft.config();
      int r = (Integer) c.get("r");
      double alpha = (Double) c.get("lora_alpha");
      assertThat(r).isEqualTo(m.replacesBase() ? 2 * o.rank() : o.rank());
      assertThat(peft.tensors().get(prefix + ".lora_A.weight").shape()).containsExactly(r, N);
      assertThat(peft.tensors().get(prefix + ".lora_B.weight").shape()).containsExactly(M, r);
      assertThat(c).containsEntry("peft_type", "LORA").containsEntry("use_rslora", o.rslora())
          .containsEntry("init_lora_weights", true).containsEntry("bias", "none").containsEntry("task_type", "SEQ_CLS")
          .containsEntry("target_modules", TargetModules.ENCODER).containsEntry("modules_to_save", List.of("classifier"));
      FloatTensor viaPeft = Merge.applyPeft(w0, peft.tensors().get(prefix + ".lora_A.weight"),
          peft.tensors().get(prefix + ".lora_B.weight"), r, alpha, o.rslora());
      assertThat(TestTensors.maxAbsDiff(viaPeft, merged)).as("PEFT export on W0 vs merged").isLessThan(1e-5);
    }
  }

  @ParameterizedTest
  @MethodSource("methods")
  void rejectsRanksTheShapeCannotHold(MethodOptions o) {
    if (!o.method().svdBased()) {
      return;
    }
    MethodOptions big = o.withRank(o.method().name().equals("lora-ga") ? 9 : 17);
    if (big.method().name().equals("lora-sb")) {
      big = big.withAlpha(17);
    }
    AdapterFactory f = AdapterFactory.create(big, TargetModules.ENCODER, null);
    try (Tiny t = new Tiny()) {
      Variable<TFloat32> w = t.param(TARGET + ".weight", FloatTensor.zeros(M, N));
      assertThatThrownBy(() -> f.build(new LinearSite(TARGET, 0, "query", M, N), t.nn, t.x, w, null))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining(TARGET);
    }
  }
}
