package org.peftharness.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.methods.options.AdapterOptions;

/**
 * One site's initialisation, the per-cell work of the SVD-initialised methods before training:
 * PiSSA (its default, a randomized SVD of W0 with 16 iterations, PEFT's {@code pissa_niter_16}),
 * LoRA-XS (an SVD of W0), LoRA-GA and LoRA-SB (SVDs of the estimated gradient), on a
 * MiniLM attention map (384 x 384), its feed-forward map (1536 x 384) and a 7B model's attention
 * map (4096 x 4096), at rank 8.
 */
public class InitBenchmark extends BenchmarkProtocol {
  @Param({"pissa", "lora-xs", "lora-ga", "lora-sb"})
  public String method;

  @Param({"384x384", "1536x384", "4096x4096"})
  public String shape;

  MethodConfig<?> config;
  FloatTensor w0;
  FloatTensor gradient;

  @Setup(Level.Trial)
  public void setUp() {
    String[] d = shape.split("x");
    long m = Long.parseLong(d[0]);
    long n = Long.parseLong(d[1]);
    Map<String, Object> options = new LinkedHashMap<>();
    options.put(MethodConfig.METHOD_KEY, method);
    options.put(AdapterOptions.RANK.key(), 8);
    if (!method.equals("lora-sb")) {
      options.put(AdapterOptions.ALPHA.key(), 16);
    }
    config = MethodConfig.fromMap(options, "benchmark");
    SplittableRandom rng = new SplittableRandom(11);
    w0 = GenerationBenchmark.random(rng, 0.02, m, n);
    gradient = GenerationBenchmark.random(rng, 1e-3, m, n);
  }

  @Benchmark
  public SiteInit init() {
    return config.init(new InitInputs("bench", w0, gradient, new TrainingPlan(1e-3, 0.06, 1, 1000),
        new SplittableRandom(1), new SplittableRandom(2)));
  }
}
