package org.peftharness.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.options.AdapterOptions;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * A method with its resolved options, as a grid cell configures it. It keeps the two together
 * with their common type, so that callers holding a {@code MethodConfig<?>} reach the method's
 * behaviour without casts. {@link #toMap()} is the canonical configuration whose SHA-256 is part
 * of a cell id; {@link #fromMap} reads it back.
 */
public record MethodConfig<O extends MethodOptions>(FineTuningMethod<O> method, O options) {
  /** The key naming the method in a method's option map. */
  public static final String METHOD_KEY = "method";

  /** Parses options with the built-in methods; see {@link MethodRegistry#config}. */
  public static MethodConfig<?> fromMap(Map<String, ?> map, String source) {
    return MethodRegistry.builtin().config(map, source);
  }

  /** A built-in method with every option at its default. */
  public static MethodConfig<?> defaults(String method) {
    return fromMap(Map.of(METHOD_KEY, method), "defaults");
  }

  public String name() {
    return method.name();
  }

  public boolean trainsWholeModel() {
    return method.trainsWholeModel();
  }

  public boolean trainsNothing() {
    return method.trainsNothing();
  }

  public Optional<AdapterOptions> adapterOptions() {
    return options.adapterOptions();
  }

  /** The adapter rank; 0 for a method without adapters. */
  public int rank() {
    return adapterOptions().map(AdapterOptions::rank).orElse(0);
  }

  /** The target modules the options name; null for the model family's defaults (and for full fine-tuning). */
  public List<String> targetModules() {
    return adapterOptions().map(AdapterOptions::targetModules).orElse(null);
  }

  /** The targets in force on a model family with these default targets. */
  public List<String> targets(List<String> familyDefaults) {
    List<String> own = targetModules();
    return own != null ? own : familyDefaults;
  }

  /** Whether the method changes this linear map: every map when it trains the whole model, else PEFT's suffix rule. */
  public boolean adapts(String module, List<String> familyDefaults) {
    return !trainsNothing() && (trainsWholeModel() || TargetModules.matches(module, targets(familyDefaults)));
  }

  /** {@code method} first, then every option with its resolved value. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(METHOD_KEY, method.name());
    options.writeTo(map);
    return map;
  }

  /** Where the model stands after the initialisation with these options. */
  public StartingPoint startingPoint() {
    return method.startingPoint(options);
  }

  /**
   * Rejects a rank no targeted m×n matrix can hold, for every method with an adapter, then the
   * method's own shape limits; an input error on {@code rank} naming the module. The update B·A of
   * an m×n matrix has rank at most min(m, n), and the SVD inits take that many singular triplets, so
   * a larger rank buys nothing but memory (LoRA rank 100000 on MiniLM asks for gigabytes).
   */
  public void checkShape(String module, long m, long n) {
    adapterOptions().ifPresent(a -> {
      long min = Math.min(m, n);
      if (a.rank() > min) {
        throw new InvalidInputException((String) null, 0, AdapterOptions.RANK.key(), name() + " needs rank <= min(m, n), but "
            + module + " (" + m + "x" + n + ") has min(m, n) = " + min + " < rank " + a.rank());
      }
    });
    method.checkShape(options, module, m, n);
  }

  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site) {
    return method.adapt(site, options);
  }

  public Optional<GradientEstimation> gradientEstimation() {
    return method.gradientEstimation(options);
  }

  /** The site's initial tensors, after checking the rank against its shape. */
  public SiteInit init(InitInputs in) {
    checkShape(in.module(), in.w0().dim(0), in.w0().dim(1));
    return method.init(options, in);
  }

  public Optional<GradientTransform> gradientTransform(Ops tf, List<AdapterSite> sites) {
    return method.gradientTransform(options, tf, sites);
  }

  public long trainablePerMatrix(long m, long n, boolean bias) {
    return method.trainablePerMatrix(options, m, n, bias);
  }

  public Optional<PeftConversion> peftConversion() {
    return method.peftConversion(options);
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
