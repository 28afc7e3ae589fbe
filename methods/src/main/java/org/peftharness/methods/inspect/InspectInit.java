package org.peftharness.methods.inspect;

import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Method;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Initializers;
import org.peftharness.methods.init.SiteInit;

/**
 * {@code harness inspect init}: the tensors a method creates for one matrix, named {@code A},
 * {@code B}, {@code R}, {@code W_base} (the frozen base it uses: W0 or the residual; for full FT
 * {@code W}, the trained weight's start), each only where the method has it.
 */
public final class InspectInit {
  /** Module name used for the seed streams of an inspected matrix. */
  public static final String MODULE = "inspect";

  /**
   * One matrix to inspect.
   *
   * @param options method options (alpha of lora-sb is forced to the rank, see {@link #forMethod})
   * @param w0 the weight, out×in
   * @param gradient LoRA-GA: the averaged gradient; LoRA-SB: the summed gradient; else null
   * @param lr LoRA-SB: learning rate; warmupRatio, estimationSteps: as in η_eff = lr / (warmup_ratio · steps)
   * @param seed root seed for the random parts (LoRA A, LoRA-XS R, randomized SVD)
   */
  public record Request(MethodOptions options, FloatTensor w0, FloatTensor gradient, Double lr, Double warmupRatio,
      Long estimationSteps, long seed) {}

  private InspectInit() {}

  /**
   * Options from the CLI's few values. For lora-sb, {@code alpha} is ignored (its reference fixes
   * alpha = rank, s = 1) and rsLoRA is rejected.
   */
  public static MethodOptions forMethod(String method, int rank, double alpha, boolean rslora) {
    Method m = MethodRegistry.get(method);
    MethodOptions o = MethodOptions.defaults(m);
    if (m.isFull()) {
      return o;
    }
    o = o.withRank(rank).withAlpha(m.name().equals(MethodRegistry.LORA_SB) ? rank : alpha).withRslora(rslora);
    return o.validate("inspect init");
  }

  public static Map<String, FloatTensor> run(Request q) {
    MethodOptions o = q.options().validate("inspect init");
    Method m = o.method();
    if (q.w0() == null || q.w0().rank() != 2) {
      throw new InvalidInputException("inspect init", 0, "W0", "a weight matrix (out x in) is required");
    }
    if (m.isFull()) {
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      out.put("W", q.w0());
      return out;
    }
    double eta = Double.NaN;
    if (m.gradientRule() == Method.GradientRule.SUMMED) {
      if (q.lr() == null || q.warmupRatio() == null || q.estimationSteps() == null) {
        throw new InvalidInputException("inspect init", 0, "lr", "lora-sb needs lr, warmup ratio and estimation steps");
      }
      eta = GradientEstimation.loraSbEtaEff(q.lr(), q.warmupRatio(), q.estimationSteps());
    }
    if (m.needsGradientEstimate() && q.gradient() == null) {
      throw new InvalidInputException("inspect init", 0, "G", m.name() + " needs the estimated gradient G of W0");
    }
    SeedStreams seeds = new SeedStreams(q.seed());
    InitInputs in = new InitInputs(MODULE, q.w0(), q.gradient(), eta,
        seeds.random(SeedStreams.INIT, MODULE), seeds.random(SeedStreams.INIT, MODULE + "/svd"));
    SiteInit init = Initializers.initialize(o, in);
    return init.named(q.w0());
  }
}
