package org.peftharness.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.peftharness.methods.full.FullMethod;

/**
 * The harness's training step beside the PyTorch peer's ({@code ../shared/peers/pytorch-bench}:
 * libtorch through DJL, the same MiniLM shapes, batch 16 x 64 and LoRA r8 on query and value), in
 * one session with the rounds alternated (harness, peer, harness, peer, ...): both sides' figures
 * halve when anything else runs on the machine, so only figures of one session compare. Prints one
 * table of medians over the rounds. {@code benchmarks/compare-pytorch.sh} builds and starts it.
 *
 * <p>The harness side is {@link TrainStepBenchmark} and {@link MatMulBenchmark} under
 * {@link BenchmarkProtocol}'s protocol ({@code --quick}: one fork, one warm-up and two measured
 * iterations); its step FLOP/s use {@link TrainStepBenchmark#flops(String)}. The peer side is one
 * JVM of the peer's {@code run.sh} with its stock allocator, read from its {@code RESULT} lines
 * (medians over its timed steps; its own FLOP count and MatMul rate).
 */
public final class PeerComparison {
  /** The peer's MatMul shape: MiniLM's FFN on 16 x 64 tokens. */
  static final String MATMUL_SHAPE = "1024x384x1536";
  static final String LORA = "lora8";

  /** One side's figures in one round. */
  record Figures(double fullMs, double loraMs, double matmulGflops, double fullVsMatmul) {
    double loraVsFull() {
      return loraMs / fullMs;
    }
  }

  private PeerComparison() {}

  /** {@code --peer DIR --out DIR [--rounds N] [--quick]}: the peer's writable copy, where logs go. */
  public static void main(String[] args) throws Exception {
    Path peer = null;
    Path out = null;
    int rounds = 2;
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--peer" -> peer = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (peer == null || out == null || rounds < 1) {
      throw new IllegalArgumentException("usage: PeerComparison --peer DIR --out DIR [--rounds N] [--quick]");
    }
    Files.createDirectories(out);
    List<Figures> ours = new ArrayList<>();
    List<Figures> theirs = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      Path log = out.resolve("round" + r + "-harness.log");
      System.out.printf("round %d/%d: harness (JMH: MatMulBenchmark, TrainStepBenchmark; log %s)%n", r, rounds, log);
      ours.add(harness(quick, log));
      log = out.resolve("round" + r + "-peer.log");
      System.out.printf("round %d/%d: PyTorch peer (one JVM of its run.sh; log %s)%n", r, rounds, log);
      theirs.add(peer(peer, quick, log, out.resolve("peer-results")));
    }
    System.out.println();
    System.out.print(table(ours, theirs, quick));
  }

  static Figures harness(boolean quick, Path log) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("\\." + MatMulBenchmark.class.getSimpleName() + "\\.")
        .include("\\." + TrainStepBenchmark.class.getSimpleName() + "\\.")
        .param("mkn", MATMUL_SHAPE)
        .param("precision", "fp32") // the peer runs float32
        .output(log.toString());
    if (quick) {
      options = options.forks(1).warmupIterations(1).measurementIterations(2);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    double fullMs = score(results, TrainStepBenchmark.class, "method", FullMethod.NAME);
    double loraMs = score(results, TrainStepBenchmark.class, "method", LORA);
    double matmulMs = score(results, MatMulBenchmark.class, "mkn", MATMUL_SHAPE);
    double mkn = 1;
    for (String d : MATMUL_SHAPE.split("x")) {
      mkn *= Double.parseDouble(d);
    }
    double matmulGflops = 2 * mkn / (matmulMs * 1e-3) / 1e9;
    double fullGflops = TrainStepBenchmark.flops(FullMethod.NAME) / (fullMs * 1e-3) / 1e9;
    return new Figures(fullMs, loraMs, matmulGflops, fullGflops / matmulGflops);
  }

  /** The mean time per operation (ms, the protocol's unit) of one benchmark at one parameter value. */
  private static double score(Collection<RunResult> results, Class<?> benchmark, String param, String value) {
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().contains("." + benchmark.getSimpleName() + "."))
        .filter(r -> value.equals(r.getParams().getParam(param)))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("JMH gave no result for " + benchmark.getSimpleName() + " " + param + "=" + value))
        .getPrimaryResult().getScore();
  }

  static Figures peer(Path peer, boolean quick, Path log, Path results) throws IOException, InterruptedException {
    ProcessBuilder run = new ProcessBuilder("bash", peer.resolve("run.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = run.environment();
    env.put("RUNS", "1");
    env.put("VARIANTS", "stock");
    env.put("RESULTS_DIR", results.toAbsolutePath().toString());
    if (quick) {
      env.put("WARMUP", "2");
      env.put("STEPS", "10");
      env.put("MM_ITERS", "100");
    }
    int exit = run.start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("the peer's run.sh exited with status " + exit + "; its log: " + log);
    }
    Map<String, Double> r = new HashMap<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals("RESULT")) {
        r.put(f[1], Double.parseDouble(f[2]));
      }
    }
    return new Figures(figure(r, "full_ms_median.default", log), figure(r, "lora_ms_median.default", log),
        figure(r, "matmul_gflops.default", log), figure(r, "full_vs_matmul.default", log));
  }

  private static double figure(Map<String, Double> results, String key, Path log) {
    Double v = results.get(key);
    if (v == null) {
      throw new IllegalStateException("the peer printed no RESULT " + key + "; its log: " + log);
    }
    return v;
  }

  static String table(List<Figures> ours, List<Figures> theirs, boolean quick) {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "harness against the PyTorch peer: medians of %d alternated round(s)%s%n", ours.size(),
        quick ? " (QUICK: fewer forks, iterations and steps)" : ""));
    t.append(String.format(Locale.ROOT, "%-34s %9s %9s %13s   %-22s %s%n", "figure", "harness", "peer", "peer/harness",
        "harness by round", "peer by round"));
    row(t, "full fine-tuning step, ms", ours, theirs, Figures::fullMs, true);
    row(t, "LoRA r8 step, ms", ours, theirs, Figures::loraMs, true);
    row(t, "MatMul " + MATMUL_SHAPE + ", GFLOP/s", ours, theirs, Figures::matmulGflops, true);
    row(t, "full step FLOP/s / own MatMul rate", ours, theirs, Figures::fullVsMatmul, false);
    row(t, "LoRA step / full step", ours, theirs, Figures::loraVsFull, false);
    t.append(String.format(Locale.ROOT, "harness full step: %.1f GFLOP (TrainStepBenchmark.flops); the peer counts its own%n",
        TrainStepBenchmark.flops(FullMethod.NAME) / 1e9));
    return t.toString();
  }

  private static void row(StringBuilder t, String name, List<Figures> ours, List<Figures> theirs,
      ToDoubleFunction<Figures> figure, boolean ratio) {
    double h = median(ours, figure);
    double p = median(theirs, figure);
    t.append(String.format(Locale.ROOT, "%-34s %9s %9s %13s   %-22s %s%n", name, number(h), number(p),
        ratio ? String.format(Locale.ROOT, "%.2f", p / h) : "", rounds(ours, figure), rounds(theirs, figure)));
  }

  private static double median(List<Figures> rounds, ToDoubleFunction<Figures> figure) {
    double[] v = rounds.stream().mapToDouble(figure).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String rounds(List<Figures> rounds, ToDoubleFunction<Figures> figure) {
    return rounds.stream().map(f -> number(figure.applyAsDouble(f))).collect(Collectors.joining(" "));
  }

  /** Times and rates to a tenth, ratios to a hundredth. */
  private static String number(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
  }
}
