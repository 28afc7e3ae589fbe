package org.peftharness.benchmarks;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The machine's reference rate: one float32 MatMul {@code [m, k] x [k, n]} between variables,
 * run as a target (nothing copied out). FLOPs = 2 m k n. {@code 1024x384x1536} is MiniLM's FFN on
 * 16 x 64 tokens; {@code 2048x2048x2048} a large square one.
 */
public class MatMulBenchmark extends BenchmarkProtocol {
  @Param({"1024x384x1536", "2048x2048x2048"})
  public String mkn;

  Graph graph;
  Session session;
  Op product;

  @Setup(Level.Trial)
  public void setUp() {
    String[] d = mkn.split("x");
    int m = Integer.parseInt(d[0]);
    int k = Integer.parseInt(d[1]);
    int n = Integer.parseInt(d[2]);
    graph = new Graph();
    Ops tf = Ops.create(graph);
    Variable<TFloat32> a = tf.variable(Shape.of(m, k), TFloat32.class);
    Variable<TFloat32> b = tf.variable(Shape.of(k, n), TFloat32.class);
    var fa = tf.assign(a, tf.constant(Shape.of(m, k), DataBuffers.of(random(m * k), true, false)));
    var fb = tf.assign(b, tf.constant(Shape.of(k, n), DataBuffers.of(random(k * n), true, false)));
    product = tf.linalg.matMul(a, b);
    session = new Session(graph);
    session.runner().addTarget(fa).addTarget(fb).run().close();
  }

  static float[] random(int size) {
    SplittableRandom rng = new SplittableRandom(size);
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  @Benchmark
  public void matmul() {
    session.runner().addTarget(product).run().close();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
    graph.close();
  }
}
