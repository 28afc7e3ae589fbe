package org.peftharness.methods.inspect;

import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;

/**
 * {@code harness inspect init}: the tensors a method creates for one matrix, named by role
 * ({@code A}, {@code B}, {@code R}, DoRA's magnitude {@code m}) and {@code W_base} (the frozen base it uses: W0 or the
 * residual; {@code W}, the trained weight's start, for a method that trains the whole model),
 * each only where the method has it.
 */
public final class InspectInit {
  /** Module name used for the seed streams of an inspected matrix. */
  public static final String MODULE = "inspect";
  private static final String SOURCE = "inspect init";

  /**
   * One matrix to inspect.
   *
   * @param method the method with its options (see {@link #forMethod})
   * @param w0 the weight, out×in
   * @param gradient the estimate of the method's gradient pre-pass (LoRA-GA: averaged, LoRA-SB: summed); else null
   * @param lr learning rate; warmupRatio, estimationSteps: as in LoRA-SB's η_eff = lr / (warmup_ratio · steps)
   * @param seed root seed for the random parts (LoRA A, LoRA-XS R, randomized SVD)
   */
  public record Request(MethodConfig<?> method, FloatTensor w0, FloatTensor gradient, Double lr, Double warmupRatio,
      Long estimationSteps, long seed) {}

  private InspectInit() {}

  /**
   * Options from the CLI's few values, each passed only where the method takes it; an option the
   * method fixes itself (LoRA-SB's alpha = rank) is left out, so the given value is ignored.
   */
  public static MethodConfig<?> forMethod(String method, int rank, double alpha, boolean rslora) {
    return forMethod(method, rank, alpha, rslora, Map.of());
  }

  /** As above, plus further options of the method by key (LoRA-FA's {@code init}), checked as a grid's would be. */
  public static MethodConfig<?> forMethod(String method, int rank, double alpha, boolean rslora, Map<String, Object> more) {
    FineTuningMethod<?> m = MethodRegistry.builtin().get(method, SOURCE, 0, "method");
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(MethodConfig.METHOD_KEY, method);
    put(m, map, AdapterOptions.RANK, rank);
    put(m, map, AdapterOptions.ALPHA, alpha);
    put(m, map, AdapterOptions.RSLORA, rslora);
    map.putAll(more);
    return MethodRegistry.builtin().config(map, SOURCE);
  }

  private static void put(FineTuningMethod<?> m, Map<String, Object> map, Option<?> option, Object value) {
    for (Option<?> o : m.options()) {
      if (o.key().equals(option.key()) && !o.fixed()) {
        map.put(option.key(), value);
      }
    }
  }

  public static Map<String, FloatTensor> run(Request q) {
    MethodConfig<?> o = q.method();
    if (q.w0() == null || q.w0().rank() != 2) {
      throw new InvalidInputException(SOURCE, 0, "W0", "a weight matrix (out x in) is required");
    }
    if (o.trainsWholeModel()) {
      return SiteInit.NONE.named(q.w0(), "W");
    }
    if (o.gradientEstimation().isPresent() && q.gradient() == null) {
      throw new InvalidInputException(SOURCE, 0, "G", o.name() + " needs the estimated gradient G of W0");
    }
    SeedStreams seeds = new SeedStreams(q.seed());
    InitInputs in = new InitInputs(MODULE, q.w0(), q.gradient(), plan(q, o),
        seeds.random(SeedStreams.INIT, MODULE), seeds.random(SeedStreams.INIT, MODULE + "/svd"));
    return o.init(in).named(q.w0(), "W_base");
  }

  /**
   * The training plan whose η_eff the CLI's values give: T_est = ⌈examples / batch⌉ · epochs, so
   * one epoch of {@code steps × batch} examples has exactly the given steps. Null unless all three
   * values are given (an initialisation that needs a plan then says so).
   */
  private static TrainingPlan plan(Request q, MethodConfig<?> o) {
    if (q.lr() == null || q.warmupRatio() == null || q.estimationSteps() == null) {
      return null;
    }
    if (q.estimationSteps() < 1) {
      throw new InvalidInputException(SOURCE, 0, "estimation-steps", "must be at least 1, got " + q.estimationSteps());
    }
    int batch = o.gradientEstimation().map(e -> e.batchSize()).orElse(1);
    return new TrainingPlan(q.lr(), q.warmupRatio(), 1, q.estimationSteps() * batch);
  }
}
