package org.peftharness.methods.options;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peftharness.methods.MethodOptions;

/**
 * The options every low-rank adapter shares, with PEFT's names and defaults (rank 8, alpha 8,
 * dropout 0, no rsLoRA; PEFT tuners/lora/config.py). LoRA's own options are exactly these.
 *
 * @param targetModules the module-path suffixes to adapt; null for the model family's defaults
 */
public record AdapterOptions(int rank, double alpha, boolean rslora, double dropout, List<String> targetModules)
    implements MethodOptions {
  public static final int DEFAULT_RANK = 8;
  public static final double DEFAULT_ALPHA = 8;

  public static final Option<Integer> RANK = Option.integer("rank", "adapter rank r (default 8)")
      .require(r -> r >= 1, "at least 1");
  public static final Option<Double> ALPHA = Option.number("alpha",
      "scaling numerator: s = alpha / r, or alpha / sqrt(r) with use_rslora (default 8, or the rank where the method says so)")
      .require(a -> a > 0 && !Double.isInfinite(a), "a positive finite number");
  public static final Option<Boolean> RSLORA = Option.bool("use_rslora", "rank-stabilised scaling s = alpha / sqrt(r) (default false)");
  public static final Option<Double> DROPOUT = Option.number("dropout", "dropout on the adapter input only, as PEFT's lora_dropout (default 0)")
      .require(p -> p >= 0 && p < 1, "in [0, 1)");
  public static final Option<List<String>> TARGET_MODULES = Option.strings("target_modules",
      "module-path suffixes to adapt, matched as PEFT does (default: the model family's)", "module-name suffixes")
      .checked(AdapterOptions::targetsProblem);

  public AdapterOptions {
    targetModules = targetModules == null ? null : List.copyOf(targetModules);
  }

  /** The shared options in canonical order, with the method's variant of {@code alpha}. */
  public static List<Option<?>> options(Option<Double> alpha) {
    return List.of(RANK, alpha, RSLORA, DROPOUT, TARGET_MODULES);
  }

  /** Reads the shared options; alpha defaults to 8, or to the rank where {@code alphaDefaultsToRank}. */
  public static AdapterOptions read(OptionReader r, boolean alphaDefaultsToRank) {
    int rank = r.read(RANK, DEFAULT_RANK);
    double alpha = r.read(ALPHA, alphaDefaultsToRank ? rank : DEFAULT_ALPHA);
    return new AdapterOptions(rank, alpha, r.read(RSLORA, false), r.read(DROPOUT, 0.0), r.read(TARGET_MODULES, null));
  }

  /** The adapter scaling s: alpha / r, or alpha / sqrt(r) with rsLoRA. */
  public double scaling() {
    return rslora ? alpha / Math.sqrt(rank) : alpha / rank;
  }

  /** The targets in force: these options' own, else the model family's. */
  public List<String> targets(List<String> familyDefaults) {
    return targetModules != null ? targetModules : familyDefaults;
  }

  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.of(this);
  }

  /** rank, alpha, use_rslora, dropout, and target_modules only when set (so the family default stays out of cell ids). */
  @Override
  public void writeTo(Map<String, Object> canonical) {
    canonical.put(RANK.key(), rank);
    canonical.put(ALPHA.key(), alpha);
    canonical.put(RSLORA.key(), rslora);
    canonical.put(DROPOUT.key(), dropout);
    if (targetModules != null) {
      canonical.put(TARGET_MODULES.key(), targetModules);
    }
  }

  private static String targetsProblem(List<String> targets) {
    if (targets.isEmpty()) {
      return "must name at least one module (leave it out for the model's defaults)";
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String t : targets) {
      if (t == null || t.isBlank() || t.startsWith(".") || t.endsWith(".")) {
        return "has an empty or malformed module suffix '" + t + "'";
      }
      if (!seen.add(t)) {
        return "names '" + t + "' twice";
      }
    }
    return null;
  }
}
