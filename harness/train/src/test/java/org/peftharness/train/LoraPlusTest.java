package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * LoRA+: B (and every 1-D trainable parameter) steps with λ·lr, A with lr, in LLaMA-Factory's
 * groups ({@code _create_loraplus_optimizer}, src/llamafactory/train/trainer_utils.py L372-407).
 */
class LoraPlusTest {
  @TempDir Path dir;

  /** A batch the constructed loss does not read. */
  private static final Batch NOTHING = new Batch() {
    @Override
    public void feed(Session.Runner runner, List<Tensor> owned) {}

    @Override
    public long tokens() {
      return 1;
    }

    @Override
    public int size() {
      return 1;
    }
  };

  @Test
  void groupsFollowLlamaFactory() {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.0, 0.0, false, 41);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      Map<String, Variable<TFloat64>> vars = new LinkedHashMap<>();
      vars.put("q.lora_A", g.addParameter("q.lora_A", 2, 4).trainable());
      // a B is known by its role, whatever its name
      vars.put("q.up", g.addParameter("q.up", 4, 2).trainable());
      vars.put("q.vector", g.addParameter("q.vector", 4).trainable());
      vars.put("q.bias", g.addParameter("q.bias", 4).trainable());
      vars.put("q.layernorm.weight", g.addParameter("q.layernorm.weight", 4).trainable());
      vars.put("q.R", g.addParameter("q.R", 2, 2).trainable());

      List<ParamGroup<TFloat64>> groups = LoraPlusGroups.split("body", vars, Set.of("q.up"), 1e-3, 16, 0.1);

      assertThat(groups).extracting(ParamGroup::name).containsExactly("body", "body-loraplus", "body-loraplus-no-decay");
      // lora_a: everything neither B nor 1-D, at lr with weight decay (L402)
      assertThat(groups.get(0).variables()).containsOnlyKeys("q.lora_A", "q.R");
      assertThat(groups.get(0).learningRate()).isEqualTo(1e-3);
      assertThat(groups.get(0).weightDecay()).isEqualTo(0.1);
      // lora_b: B and 1-D parameters that decay, at lr·ratio with weight decay (L403)
      assertThat(groups.get(1).variables()).containsOnlyKeys("q.up", "q.vector");
      assertThat(groups.get(1).learningRate()).isEqualTo(1e-3 * 16);
      assertThat(groups.get(1).weightDecay()).isEqualTo(0.1);
      // lora_b_nodecay: biases and norm weights, at lr·ratio without decay (L404)
      assertThat(groups.get(2).variables()).containsOnlyKeys("q.bias", "q.layernorm.weight");
      assertThat(groups.get(2).learningRate()).isEqualTo(1e-3 * 16);
      assertThat(groups.get(2).weightDecay()).isZero();

      // nothing in a group leaves the group out, as the decay split does
      assertThat(LoraPlusGroups.split("head", Map.of("w", vars.get("q.lora_A")), Set.of(), 1e-3, 16, 0.0))
          .extracting(ParamGroup::name).containsExactly("head");
    }
  }

  /**
   * A and B (and a vector) see the same gradient, so Adam's first step, lr·g/(|g| + eps) after
   * bias correction, differs only by the group's learning rate: ΔB = λ·ΔA element for element.
   * Starting from zero, the step is the new value itself, with no rounding of a sum.
   */
  @Test
  void bStepsRatioTimesFurtherThanA() {
    double lr = 1e-3;
    for (double ratio : new double[] {16, 3}) {
      Map<String, double[]> step = oneStep(lr, ratio);
      double[] a = step.get("site.lora_A");
      double[] b = step.get("site.lora_B");
      double[] v = step.get("site.bias");
      for (int i = 0; i < a.length; i++) {
        assertThat(a[i]).isNotZero();
        if (ratio == 16) {
          assertThat(b[i]).isEqualTo(16 * a[i]); // a power of two scales exactly
          assertThat(v[i]).isEqualTo(16 * a[i]);
        } else {
          assertThat(b[i] / a[i]).isCloseTo(ratio, offset(1e-12));
          assertThat(v[i] / a[i]).isCloseTo(ratio, offset(1e-12));
        }
      }
    }
  }

  private Map<String, double[]> oneStep(double lr, double ratio) {
    Path m = TinyModels.encoder(dir, "bert", 1, 0.0, 0.0, false, 42);
    try (PretrainedModel pm = PretrainedModel.open(m.toString());
        var g = (EncoderModel<TFloat64>) pm.buildGraph(TFloat64.class, LinearFactory.PLAIN)) {
      double[] c = {0.5, -2.0, 3.0, -0.25};
      Map<String, Variable<TFloat64>> vars = new LinkedHashMap<>();
      vars.put("site.lora_A", zeros(g, "site.lora_A", 2, 2));
      vars.put("site.lora_B", zeros(g, "site.lora_B", 2, 2));
      vars.put("site.bias", zeros(g, "site.bias", 4));
      Ops tf = g.ops();
      Operand<TFloat64> grad = tf.constant(c);
      Operand<TFloat64> loss = tf.constant(0.0);
      for (Variable<TFloat64> v : vars.values()) {
        loss = tf.math.add(loss, tf.reduceSum(tf.math.mul(tf.reshape(v, tf.constant(new int[] {4})), grad), tf.constant(0)));
      }
      TrainConfig cfg = TrainConfig.defaults(lr).withSteps(1).withShuffle(false).withClipping(0)
          .withSchedule(Schedule.Kind.CONSTANT, 0, 0);
      List<ParamGroup<TFloat64>> groups = LoraPlusGroups.split("body", vars, Set.of("site.lora_B"), lr, ratio, 0.0);
      TrainResult r = new Trainer<>(g, loss, groups, cfg).train(List.of(NOTHING), TrainListener.NONE);
      assertThat(r.ok()).as(r.reason()).isTrue();
      Map<String, double[]> out = new LinkedHashMap<>();
      vars.forEach((k, v) -> {
        try (Result res = g.session().runner().fetch(v).run()) {
          out.put(k, HostTensors.toDoubles(res.get(0)));
        }
      });
      return out;
    }
  }

  private static Variable<TFloat64> zeros(GraphModel<TFloat64> g, String name, long... shape) {
    GraphModel.Parameter<TFloat64> p = g.addParameter(name, shape);
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    g.assign(p, new FloatTensor(shape, new float[n]));
    return p.trainable();
  }
}
