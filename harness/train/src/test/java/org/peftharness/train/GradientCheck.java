package org.peftharness.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;

/**
 * Central finite differences in float64 against tf.gradients: for every variable, the directional
 * derivative along a random direction {@code d}, {@code g . d} against
 * {@code (L(x + eps d) - L(x - eps d)) / 2 eps}.
 */
final class GradientCheck {
  private final GraphModel<TFloat64> model;
  private final Operand<TFloat64> loss;
  private final Map<String, Variable<TFloat64>> vars;
  private final Batch batch;
  private final boolean training;
  private final List<Output<?>> grads = new ArrayList<>();
  private final Map<String, Placeholder<TFloat64>> feeds = new LinkedHashMap<>();
  private final Map<String, Op> assigns = new LinkedHashMap<>();

  GradientCheck(GraphModel<TFloat64> model, Operand<TFloat64> loss, Map<String, Variable<TFloat64>> vars, Batch batch, boolean training) {
    this.model = model;
    this.loss = loss;
    this.vars = vars;
    this.batch = batch;
    this.training = training;
    Ops tf = model.ops().withSubScope("gradcheck");
    var g = tf.gradients(loss, new ArrayList<>(vars.values()));
    for (int i = 0; i < vars.size(); i++) {
      grads.add(g.dy(i));
    }
    for (var e : vars.entrySet()) {
      var p = tf.placeholder(TFloat64.class, Placeholder.shape(e.getValue().shape()));
      feeds.put(e.getKey(), p);
      assigns.put(e.getKey(), tf.assign(e.getValue(), p));
    }
  }

  double lossValue() {
    return run(List.of(loss)).get(0)[0];
  }

  private List<double[]> run(List<Operand<?>> fetches) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = model.session().runner();
      batch.feed(r, owned);
      TBool t = TBool.scalarOf(training);
      TInt64 seed = TInt64.vectorOf(1234L, 0L);
      owned.add(t);
      owned.add(seed);
      r.feed(model.training(), t).feed(model.dropoutSeed(), seed);
      fetches.forEach(r::fetch);
      try (Result res = r.run()) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          out.add(values(res.get(i)));
        }
        return out;
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private static double[] values(Tensor t) {
    double[] d = new double[Math.toIntExact(t.shape().size())];
    ((TFloat64) t).copyTo(DataBuffers.of(d, false, false));
    return d;
  }

  private double[] read(Variable<TFloat64> v) {
    try (Result r = model.session().runner().fetch(v).run()) {
      return values(r.get(0));
    }
  }

  private void write(String name, double[] value) {
    try (TFloat64 t = TFloat64.tensorOf(vars.get(name).shape(), DataBuffers.of(value, true, false))) {
      model.session().runner().feed(feeds.get(name), t).addTarget(assigns.get(name)).run().close();
    }
  }

  /**
   * Largest relative error over all variables; per-variable errors go to {@code report}. The
   * denominator is at least 1e-4 so that derivatives that vanish exactly (a key bias under softmax)
   * are judged by their absolute error.
   */
  double maxRelativeError(double eps, long seed, Map<String, Double> report) {
    List<Operand<?>> fetch = new ArrayList<>(grads);
    List<double[]> analytic = run(fetch);
    SplittableRandom rng = new SplittableRandom(seed);
    double worst = 0;
    int k = 0;
    for (var e : vars.entrySet()) {
      double[] x0 = read(e.getValue());
      double[] d = new double[x0.length];
      double dot = 0;
      double[] g = analytic.get(k++);
      for (int i = 0; i < d.length; i++) {
        d[i] = rng.nextGaussian();
        dot += g[i] * d[i];
      }
      double[] xp = new double[x0.length];
      double[] xm = new double[x0.length];
      for (int i = 0; i < d.length; i++) {
        xp[i] = x0[i] + eps * d[i];
        xm[i] = x0[i] - eps * d[i];
      }
      write(e.getKey(), xp);
      double lp = lossValue();
      write(e.getKey(), xm);
      double lm = lossValue();
      write(e.getKey(), x0);
      double fd = (lp - lm) / (2 * eps);
      double err = Math.abs(fd - dot) / Math.max(Math.max(Math.abs(fd), Math.abs(dot)), 1e-4);
      report.put(e.getKey(), err);
      worst = Math.max(worst, err);
    }
    return worst;
  }

  static Shape shape(Variable<?> v) {
    return v.shape();
  }
}
