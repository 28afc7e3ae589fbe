package org.peftharness.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where a training step's time goes, by TensorFlow's own step statistics: the benchmark's step
 * (MiniLM + classifier, 16 x 64 tokens) is warmed up, then several steps are traced
 * ({@code RunOptions.FULL_TRACE}) and every op's run time is summed by op type. Op times overlap
 * when TensorFlow runs ops in parallel, so shares are of summed op time, and the wall time of the
 * traced steps is printed beside them, split into phases on the trace's own clock: the forward pass
 * (until the loss), the backward pass (until AdamW's {@code gradients_ready}, which clipping needs)
 * and the update, with the matrix products' rate in the first two.
 *
 * <pre>java -cp harness/bench/target/benchmarks.jar org.peftharness.benchmarks.StepProfile [full|lora8] [fp32|bf16] [steps]</pre>
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) throws Exception {
    TrainStepBenchmark b = new TrainStepBenchmark();
    b.method = args.length > 0 ? args[0] : "full";
    b.precision = args.length > 1 ? args[1] : "fp32";
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    b.setUp();
    try {
      for (int i = 0; i < 5; i++) {
        b.step();
      }
      Map<String, long[]> byOp = new TreeMap<>();
      long[] phases = new long[3];
      long wall = 0;
      for (int i = 0; i < steps; i++) {
        RunMetadata[] meta = new RunMetadata[1];
        b.trainer.traceNextStep(m -> meta[0] = m);
        long t0 = System.nanoTime();
        b.step();
        wall += System.nanoTime() - t0;
        long first = Long.MAX_VALUE;
        long last = 0;
        long lossEnd = -1;
        long ready = -1;
        for (DeviceStepStats d : meta[0].getStepStats().getDevStatsList()) {
          for (NodeExecStats n : d.getNodeStatsList()) {
            String op = opType(n);
            long[] acc = byOp.computeIfAbsent(op, k -> new long[2]);
            acc[0] += n.getAllEndRelMicros();
            acc[1]++;
            long start = n.getAllStartMicros();
            long end = start + n.getAllEndRelMicros();
            if (!op.equals("(other)")) {
              first = Math.min(first, start);
              last = Math.max(last, end);
            }
            if (n.getNodeName().equals(b.lossNode)) {
              lossEnd = end;
            } else if (n.getNodeName().endsWith("gradients_ready")) {
              ready = start;
            }
          }
        }
        if (lossEnd < 0 || ready < 0) {
          throw new IllegalStateException("the trace names no loss (" + b.lossNode + ") or no gradients_ready");
        }
        phases[0] += lossEnd - first;
        phases[1] += ready - lossEnd;
        phases[2] += last - ready;
      }
      print(byOp, steps, wall / 1e3 / steps, b.method, b.precision);
      double forward = TrainStepBenchmark.forwardFlops();
      double backward = TrainStepBenchmark.flops(b.method) - forward;
      System.out.printf(Locale.ROOT, "  phases (trace clock, per step): forward %.1f ms (%.0f GFLOP/s), backward %.1f ms"
          + " (%.0f GFLOP/s), update %.1f ms%n", phases[0] / 1e3 / steps, forward * steps / phases[0] / 1e3,
          phases[1] / 1e3 / steps, backward * steps / phases[1] / 1e3, phases[2] / 1e3 / steps);
    } finally {
      b.tearDown();
    }
  }

  /** The op type from the timeline label ({@code name = Op(inputs)}), which is how step stats name it. */
  static String opType(NodeExecStats n) {
    String label = n.getTimelineLabel();
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', Math.max(eq, 0));
    if (eq >= 0 && paren > eq) {
      return label.substring(eq + 3, paren);
    }
    return n.getNodeName().contains(":") ? n.getNodeName().substring(n.getNodeName().indexOf(':') + 1) : "(other)";
  }

  private static void print(Map<String, long[]> byOp, int steps, double wallMicros, String method, String precision) {
    long total = byOp.values().stream().mapToLong(a -> a[0]).sum();
    Map<String, long[]> sorted = new LinkedHashMap<>();
    byOp.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    System.out.printf(Locale.ROOT, "%s %s: %d traced steps, wall %.1f ms per step, summed op time %.1f ms per step%n",
        method, precision, steps, wallMicros / 1e3, total / 1e3 / steps);
    double products = 0;
    for (Map.Entry<String, long[]> e : sorted.entrySet()) {
      double ms = e.getValue()[0] / 1e3 / steps;
      if (List.of("MatMul", "_MklMatMul", "BatchMatMulV2", "BatchMatMulV3", "_MklBatchMatMulV2", "_MklNativeBatchMatMulV2",
          "_FusedMatMul", "_MklFusedMatMul", "_MklNativeFusedMatMul", "_MklNativeMatMul").contains(e.getKey())) {
        products += ms;
      }
      if (ms >= 0.2) {
        System.out.printf(Locale.ROOT, "  %-28s %8.2f ms %5.1f%%  %6d ops%n", e.getKey(), ms, 100.0 * e.getValue()[0] / total,
            e.getValue()[1] / steps);
      }
    }
    System.out.printf(Locale.ROOT, "  matrix products: %.1f ms, %.1f%% of summed op time%n", products, 100 * products * 1e3 * steps / total);
  }
}
