package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * Replays ../shared/fixtures/method-init/adamw-golden.json (an independent float64 reference of
 * torch's AdamW with HF's linear schedule and clip_grad_norm_) through the graph optimizer. The
 * fixture's numbers are float64, so the variables are float64 here.
 */
class AdamWGoldenTest {

  @Test
  void everyStepMatchesTheReferenceTrajectory() throws IOException {
    double maxRel = replay(TFloat64.class);
    System.out.println("AdamW golden (float64): max relative error " + maxRel);
    assertThat(maxRel).isLessThan(1e-6);
  }

  @Test
  void float32VariablesFollowTheTrajectoryToFloat32Precision() throws IOException {
    double maxRel = replay(org.tensorflow.types.TFloat32.class);
    System.out.println("AdamW golden (float32): max relative error " + maxRel);
    assertThat(maxRel).isLessThan(5e-6);
  }

  <T extends org.tensorflow.types.family.TNumber> double replay(Class<T> type) throws IOException {
    JsonNode fx = JsonDocument.MAPPER.readTree(Files.readString(SharedFiles.fixture("method-init/adamw-golden.json")));
    JsonNode hyper = fx.get("hyper");
    double lr = hyper.get("lr").asDouble();
    int total = hyper.get("total_steps").asInt();
    Schedule schedule = new Schedule(Schedule.Kind.LINEAR, hyper.get("warmup_steps").asInt(), total);
    double maxRel = 0;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Map<String, Variable<T>> vars = new LinkedHashMap<>();
      Map<String, Placeholder<TFloat64>> gradFeeds = new LinkedHashMap<>();
      List<org.tensorflow.op.Op> inits = new ArrayList<>();
      for (var it = fx.get("initial_params").fields(); it.hasNext(); ) {
        var e = it.next();
        double[] init = flat(e.getValue());
        long[] shape = shape(e.getValue());
        Variable<T> v = tf.withName(e.getKey()).variable(Shape.of(shape), type);
        inits.add(tf.assign(v, tf.dtypes.cast(tf.reshape(tf.constant(init), tf.constant(shape)), type)));
        vars.put(e.getKey(), v);
        gradFeeds.put(e.getKey(), tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(shape))));
      }
      AdamW<T> opt = new AdamW<>(tf, type,
          List.of(new ParamGroup<>("all", vars, lr, hyper.get("weight_decay").asDouble())),
          new AdamW.Hyper(hyper.get("betas").get(0).asDouble(), hyper.get("betas").get(1).asDouble(),
              hyper.get("eps").asDouble(), hyper.get("max_grad_norm").asDouble()));
      List<Operand<T>> grads = new ArrayList<>();
      gradFeeds.values().forEach(p -> grads.add(tf.dtypes.cast(p, type)));
      AdamW.Update update = opt.build(grads, List.of(), null);
      for (var op : inits) {
        s.runner().addTarget(op).run().close();
      }
      opt.initialize(s);

      for (int k = 0; k < total; k++) {
        JsonNode expected = fx.get("trajectory").get(k);
        assertThat(expected.get("step").asInt()).isEqualTo(k + 1);
        double stepLr = lr * schedule.factor(k);
        maxRel = Math.max(maxRel, rel(stepLr, expected.get("lr").asDouble()));
        List<TFloat64> owned = new ArrayList<>();
        var runner = s.runner();
        for (var e : gradFeeds.entrySet()) {
          TFloat64 t = tensor(fx.get("gradients").get(k).get(e.getKey()));
          owned.add(t);
          runner.feed(e.getValue(), t);
        }
        TFloat64 lrT = TFloat64.scalarOf(stepLr);
        owned.add(lrT);
        runner.feed(opt.learningRate(0), lrT).addTarget(update.train()).fetch(update.gradNorm());
        try (Result r = runner.run()) {
          double norm = ((TFloat64) r.get(0)).getDouble();
          maxRel = Math.max(maxRel, rel(norm, expected.get("grad_norm_before_clip").asDouble()));
        }
        owned.forEach(TFloat64::close);
        for (var e : vars.entrySet()) {
          double[] want = flat(expected.get("params").get(e.getKey()));
          try (Result r = s.runner().fetch(e.getValue()).run()) {
            double[] got = org.peftharness.model.graph.HostTensors.toDoubles(r.get(0));
            for (int i = 0; i < want.length; i++) {
              maxRel = Math.max(maxRel, rel(got[i], want[i]));
            }
          }
        }
      }
      try (Result r = s.runner().fetch(opt.step()).run()) {
        assertThat(((org.tensorflow.types.TInt64) r.get(0)).getLong()).isEqualTo(total);
      }
    }
    return maxRel;
  }

  static double rel(double got, double want) {
    double d = Math.abs(got - want);
    return d == 0 ? 0 : d / Math.max(Math.abs(want), 1e-12);
  }

  static TFloat64 tensor(JsonNode n) {
    return TFloat64.tensorOf(Shape.of(shape(n)), DataBuffers.of(flat(n), true, false));
  }

  static long[] shape(JsonNode n) {
    List<Long> dims = new ArrayList<>();
    for (JsonNode c = n; c.isArray(); c = c.get(0)) {
      dims.add((long) c.size());
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  static double[] flat(JsonNode n) {
    List<Double> out = new ArrayList<>();
    collect(n, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      n.forEach(c -> collect(c, out));
    } else {
      out.add(n.asDouble());
    }
  }
}
