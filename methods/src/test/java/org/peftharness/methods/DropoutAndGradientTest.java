package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.AdapterDropout;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.TensorIO;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

class DropoutAndGradientTest {
  private static final String MODULE = "model.layers.0.self_attn.q_proj";

  @Test
  void dropoutHookSeesOnlyTheAdapterInputAndIsRequiredWhenPositive() {
    MethodConfig<?> o = TestConfigs.of("lora", "rank", 2, "dropout", 0.1);
    assertThatThrownBy(() -> AdapterFactory.create(o, TestTargets.DECODER, null)).isInstanceOf(IllegalArgumentException.class);
    List<Double> rates = new ArrayList<>();
    // a "dropout" that zeroes its input: then the adapter path vanishes and only the base remains
    AdapterDropout zero = new AdapterDropout() {
      @Override
      public <T extends TNumber> Operand<T> apply(LinearSite site, Nn<T> nn, Operand<T> x, double rate) {
        rates.add(rate);
        return nn.tf.zerosLike(x);
      }
    };
    AdapterFactory f = AdapterFactory.create(o, TestTargets.DECODER, zero);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Nn<TFloat32> nn = new Nn<>(tf, TFloat32.class);
      SplittableRandom rng = new SplittableRandom(1);
      Operand<TFloat32> w = tf.variable(tf.constant(new float[][] {{1, 2, 3}, {4, 5, 6}}));
      Operand<TFloat32> x = tf.constant(new float[][] {{1, -1, 2}});
      Operand<TFloat32> y = f.build(new LinearSite(MODULE, 0, "q_proj", 2, 3), nn, x, w, null);
      assertThat(rates).containsExactly(0.1);
      try (Session s = new Session(g)) {
        f.initialize(s, new SeedStreams(1), Map.of(), null);
        for (AdapterVariable v : f.site(MODULE).variables().values()) {
          if (v.feed() != null) {
            try (TFloat32 t = TensorIO.toTensor(TestTensors.random(rng, 1, v.shape()))) {
              s.runner().feed(v.feed(), t).addTarget(v.assign()).run().close();
            }
          }
        }
        try (Result r = s.runner().fetch(y).run()) {
          assertThat(TensorIO.toHost(r.get(0)).data()).containsExactly(1 - 2 + 6, 4 - 5 + 12);
        }
      }
    }
  }

  @Test
  void gradientsFlowToTheTrainableVariables() {
    MethodConfig<?> o = TestConfigs.of("lora", "rank", 2);
    AdapterFactory f = AdapterFactory.create(o, TestTargets.DECODER, null);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Nn<TFloat32> nn = new Nn<>(tf, TFloat32.class);
      Variable<TFloat32> w = tf.variable(tf.constant(new float[][] {{1, 2, 3}, {4, 5, 6}}));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> y = f.build(new LinearSite(MODULE, 0, "q_proj", 2, 3), nn, x, w, null);
      Operand<TFloat32> loss = tf.math.square(tf.sum(y, tf.constant(new int[] {0, 1})));
      List<Operand<?>> vars = new ArrayList<>();
      f.trainableVariables().forEach(v -> vars.add(v.variable()));
      @SuppressWarnings({"unchecked", "rawtypes"})
      org.tensorflow.op.core.Gradients grads = tf.gradients(loss, (Iterable) vars);
      try (Session s = new Session(g)) {
        f.initialize(s, new SeedStreams(3), Map.of(), null);
        try (TFloat32 xv = TensorIO.toTensor(new FloatTensor(new long[] {1, 3}, new float[] {1, 1, 1}));
            Result r = s.runner().feed(x, xv).fetch(grads.dy(0)).fetch(grads.dy(1)).run()) {
          FloatTensor gA = TensorIO.toHost(r.get(0));
          FloatTensor gB = TensorIO.toHost(r.get(1));
          assertThat(TestTensors.maxAbs(gA)).as("B = 0 so dL/dA = 0").isZero();
          assertThat(TestTensors.maxAbs(gB)).as("dL/dB").isPositive();
        }
      }
    }
  }
}
