package org.peftharness.methods.lorafa;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.Role;
import org.peftharness.methods.TestConfigs;
import org.peftharness.methods.TestTargets;
import org.peftharness.methods.TestTensors;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.adapter.TensorIO;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.linalg.Matrix;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** PEFT's LoRA-FA optimizer: B's gradient times pinv(A Aᵀ + 1e-8 I) / s², Adam eps 1e-6, nothing without the option. */
class LoraFaCorrectionTest {
  private static final String TARGET = "encoder.layer.0.attention.self.query";

  /** Builds one LoRA-FA site on a random 24×16 weight, initialises it and hands over the factory. */
  private static void withSite(MethodConfig<?> o, SiteCheck check) {
    AdapterFactory f = AdapterFactory.create(o, TestTargets.ENCODER, null);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Nn<TFloat32> nn = new Nn<>(tf, TFloat32.class);
      FloatTensor w0 = TestTensors.random(new SplittableRandom(17), 0.5, 24, 16);
      Operand<TFloat32> w = tf.variable(tf.constant(Shape.of(24, 16), DataBuffers.of(w0.data(), true, false)));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 16)));
      f.build(new LinearSite(TARGET, 0, "query", 24, 16), nn, x, w, null);
      try (Session s = new Session(g)) {
        f.initialize(s, new SeedStreams(42), Map.of(), null);
        check.run(f, tf, s);
      }
    }
  }

  @FunctionalInterface
  private interface SiteCheck {
    void run(AdapterFactory f, Ops tf, Session s);
  }

  @Test
  void correctionPreconditionsTheGradientOfBOnly() {
    MethodConfig<?> o = TestConfigs.of("lora-fa", "rank", 4, "alpha", 8);
    double scaling = TestConfigs.scaling(o);
    withSite(o, (f, tf, s) -> {
      AdapterSite as = f.site(TARGET);
      FloatTensor p = LoraFaCorrection.preconditioner(as.init().a(), scaling);
      Matrix a = Matrix.of(as.init().a());
      Matrix gram = a.mul(a.transpose()).plus(Matrix.identity(4).scale(1e-8)).scale(scaling * scaling);
      assertThat(Matrix.of(p).mul(gram).maxAbsDiff(Matrix.identity(4))).isLessThan(1e-4);

      GradientTransform tr = f.gradientTransform(tf).orElseThrow();
      assertThat(tr.adamEpsilon(1e-8)).isEqualTo(LoraFaCorrection.ADAM_EPS).isEqualTo(1e-6);
      Operand<TFloat32> gB = tf.constant(new float[][] {{1, 0, 0, 0}});
      assertThat(tr.apply(as.variable(Role.A).name(), gB)).isSameAs(gB);
      try (Result r = s.runner().fetch(tr.apply(as.variable(Role.B).name(), gB)).run()) {
        FloatTensor corrected = TensorIO.toHost(r.get(0));
        for (int j = 0; j < 4; j++) {
          assertThat((double) corrected.data()[j]).isCloseTo(p.get(0, j), Offset.offset(1e-6 * Math.abs(p.get(0, j)) + 1e-12));
        }
      }
    });
  }

  @Test
  void withoutTheOptimizerOptionThereIsNoTransform() {
    for (MethodConfig<?> o : new MethodConfig<?>[] {
        TestConfigs.of("lora-fa", "rank", 4, "alpha", 8, "lorafa_optimizer", false), TestConfigs.of("lora", "rank", 4)}) {
      withSite(o, (f, tf, s) -> assertThat(f.gradientTransform(tf)).as(o.toString()).isEqualTo(Optional.empty()));
    }
  }
}
