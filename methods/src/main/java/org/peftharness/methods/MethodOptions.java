package org.peftharness.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.methods.linalg.Svd;

/**
 * The resolved options of one method (every default filled in). Round-trips through
 * {@link #toMap()} / {@link #fromMap(Map, String)}, whose keys are the canonical option names
 * (snake_case as in PEFT where PEFT has the option):
 * <ul>
 *   <li>all adapter methods: {@code rank}, {@code alpha}, {@code use_rslora}, {@code dropout},
 *       {@code target_modules} (absent = the model family's default targets);</li>
 *   <li>SVD-based (pissa, lora-xs, lora-ga, lora-sb): {@code svd} = {@code exact} |
 *       {@code randomized}, with {@code svd_niter} and {@code svd_oversample} when randomized;</li>
 *   <li>lora-ga: {@code direction} (ArB2r | A2rBr | ArBr | random), {@code scale} (stable | gd |
 *       unit | weightS), {@code stable_gamma};</li>
 *   <li>lora-fa: {@code lorafa_optimizer} (PEFT's gradient correction of B, default true);</li>
 *   <li>lora-ga, lora-sb: {@code estimation_samples}, {@code estimation_batch_size} for the
 *       gradient-estimation pre-pass.</li>
 * </ul>
 * Defaults: rank 8, alpha 8, dropout 0, no rsLoRA (PEFT's); LoRA-XS alpha = rank (its math
 * scripts' s = 1); LoRA-SB alpha = rank, forced (s = 1 in its reference code); LoRA-GA ArB2r,
 * stable, gamma 16, 128 samples in batches of 2 (the fork's LoraGAConfig); LoRA-SB 50 samples in
 * batches of 3 (its arithmetic script); randomized SVD iterations as each reference (PiSSA 16,
 * LoRA-XS 10, LoRA-GA 4, LoRA-SB 10) with q = 4r for LoRA-GA and q = r for the others.
 */
public record MethodOptions(
    Method method,
    int rank,
    double alpha,
    boolean rslora,
    double dropout,
    List<String> targetModules,
    LoraGaDirection direction,
    LoraGaScale scale,
    double stableGamma,
    boolean loraFaOptimizer,
    Svd.Options svd,
    int estimationSamples,
    int estimationBatchSize) {

  /** LoRA-GA: which singular vectors of G become A and B. */
  public enum LoraGaDirection {
    ArB2r("ArB2r"), A2rBr("A2rBr"), ArBr("ArBr"), RANDOM("random");

    public final String text;

    LoraGaDirection(String text) {
      this.text = text;
    }
  }

  /** LoRA-GA: how A and B are scaled after selection. */
  public enum LoraGaScale {
    STABLE("stable"), GD("gd"), UNIT("unit"), WEIGHT_S("weightS");

    public final String text;

    LoraGaScale(String text) {
      this.text = text;
    }
  }

  public static final String K_METHOD = "method";
  public static final String K_RANK = "rank";
  public static final String K_ALPHA = "alpha";
  public static final String K_RSLORA = "use_rslora";
  public static final String K_DROPOUT = "dropout";
  public static final String K_TARGETS = "target_modules";
  public static final String K_SVD = "svd";
  public static final String K_SVD_NITER = "svd_niter";
  public static final String K_SVD_OVERSAMPLE = "svd_oversample";
  public static final String K_DIRECTION = "direction";
  public static final String K_SCALE = "scale";
  public static final String K_GAMMA = "stable_gamma";
  public static final String K_LORAFA_OPT = "lorafa_optimizer";
  public static final String K_EST_SAMPLES = "estimation_samples";
  public static final String K_EST_BATCH = "estimation_batch_size";

  public MethodOptions {
    targetModules = targetModules == null ? null : List.copyOf(targetModules);
  }

  /** The defaults of a method (by name; unknown names are input errors). */
  public static MethodOptions defaults(String method) {
    return defaults(MethodRegistry.get(method));
  }

  public static MethodOptions defaults(Method m) {
    int rank = m.isFull() ? 0 : 8;
    return new MethodOptions(m, rank, defaultAlpha(m, rank), false, 0.0, null,
        LoraGaDirection.ArB2r, LoraGaScale.STABLE, 16.0, true,
        m.svdBased() ? Svd.Options.EXACT : null, defaultSamples(m), defaultBatch(m));
  }

  private static double defaultAlpha(Method m, int rank) {
    switch (m.name()) {
      case MethodRegistry.LORA_XS:
      case MethodRegistry.LORA_SB:
        return rank;
      case MethodRegistry.FULL:
        return 0;
      default:
        return 8;
    }
  }

  private static int defaultSamples(Method m) {
    switch (m.gradientRule()) {
      case AVERAGED: return 128;
      case SUMMED: return 50;
      default: return 0;
    }
  }

  private static int defaultBatch(Method m) {
    switch (m.gradientRule()) {
      case AVERAGED: return 2;
      case SUMMED: return 3;
      default: return 0;
    }
  }

  /** Reference randomized-SVD iterations of a method. */
  public static int defaultNiter(Method m) {
    switch (m.name()) {
      case MethodRegistry.PISSA: return 16;
      case MethodRegistry.LORA_GA: return 4;
      default: return 10;
    }
  }

  /** Reference oversampling beyond the triplets used: LoRA-GA asks for q = 4r (it uses 2r), the others q = r. */
  public static int defaultOversample(Method m, int rank) {
    return m.name().equals(MethodRegistry.LORA_GA) ? 2 * rank : 0;
  }

  /** The adapter scaling s: alpha / r, or alpha / sqrt(r) with rsLoRA; 1 for full FT. */
  public double scaling() {
    if (method.isFull()) {
      return 1.0;
    }
    return rslora ? alpha / Math.sqrt(rank) : alpha / rank;
  }

  public MethodOptions withRank(int r) {
    MethodOptions o = new MethodOptions(method, r, alpha, rslora, dropout, targetModules, direction, scale, stableGamma,
        loraFaOptimizer, svd, estimationSamples, estimationBatchSize);
    return o;
  }

  public MethodOptions withAlpha(double a) {
    return new MethodOptions(method, rank, a, rslora, dropout, targetModules, direction, scale, stableGamma,
        loraFaOptimizer, svd, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withRslora(boolean on) {
    return new MethodOptions(method, rank, alpha, on, dropout, targetModules, direction, scale, stableGamma,
        loraFaOptimizer, svd, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withDropout(double p) {
    return new MethodOptions(method, rank, alpha, rslora, p, targetModules, direction, scale, stableGamma,
        loraFaOptimizer, svd, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withTargetModules(List<String> targets) {
    return new MethodOptions(method, rank, alpha, rslora, dropout, targets, direction, scale, stableGamma,
        loraFaOptimizer, svd, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withLoraGa(LoraGaDirection d, LoraGaScale s, double gamma) {
    return new MethodOptions(method, rank, alpha, rslora, dropout, targetModules, d, s, gamma,
        loraFaOptimizer, svd, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withLoraFaOptimizer(boolean on) {
    return new MethodOptions(method, rank, alpha, rslora, dropout, targetModules, direction, scale, stableGamma,
        on, svd, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withSvd(Svd.Options o) {
    return new MethodOptions(method, rank, alpha, rslora, dropout, targetModules, direction, scale, stableGamma,
        loraFaOptimizer, o, estimationSamples, estimationBatchSize);
  }

  public MethodOptions withEstimation(int samples, int batchSize) {
    return new MethodOptions(method, rank, alpha, rslora, dropout, targetModules, direction, scale, stableGamma,
        loraFaOptimizer, svd, samples, batchSize);
  }

  /** The option keys that apply to a method, in canonical order. */
  public static List<String> keys(Method m) {
    List<String> k = new ArrayList<>(List.of(K_METHOD));
    if (m.isFull()) {
      return k;
    }
    k.addAll(List.of(K_RANK, K_ALPHA, K_RSLORA, K_DROPOUT, K_TARGETS));
    if (m.svdBased()) {
      k.addAll(List.of(K_SVD, K_SVD_NITER, K_SVD_OVERSAMPLE));
    }
    if (m.name().equals(MethodRegistry.LORA_GA)) {
      k.addAll(List.of(K_DIRECTION, K_SCALE, K_GAMMA));
    }
    if (m.name().equals(MethodRegistry.LORA_FA)) {
      k.add(K_LORAFA_OPT);
    }
    if (m.needsGradientEstimate()) {
      k.addAll(List.of(K_EST_SAMPLES, K_EST_BATCH));
    }
    return k;
  }

  /** The canonical map: every applicable option with its resolved value (target_modules only when set). */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(K_METHOD, method.name());
    if (method.isFull()) {
      return map;
    }
    map.put(K_RANK, rank);
    map.put(K_ALPHA, alpha);
    map.put(K_RSLORA, rslora);
    map.put(K_DROPOUT, dropout);
    if (targetModules != null) {
      map.put(K_TARGETS, targetModules);
    }
    if (method.svdBased()) {
      map.put(K_SVD, svd.randomized() ? "randomized" : "exact");
      if (svd.randomized()) {
        map.put(K_SVD_NITER, svd.niter());
        map.put(K_SVD_OVERSAMPLE, svd.oversample());
      }
    }
    if (method.name().equals(MethodRegistry.LORA_GA)) {
      map.put(K_DIRECTION, direction.text);
      map.put(K_SCALE, scale.text);
      map.put(K_GAMMA, stableGamma);
    }
    if (method.name().equals(MethodRegistry.LORA_FA)) {
      map.put(K_LORAFA_OPT, loraFaOptimizer);
    }
    if (method.needsGradientEstimate()) {
      map.put(K_EST_SAMPLES, estimationSamples);
      map.put(K_EST_BATCH, estimationBatchSize);
    }
    return map;
  }

  /**
   * Parses options (as read from YAML/JSON: numbers, strings, booleans, lists), filling defaults
   * and validating. {@code source} names the file or argument for error messages.
   */
  public static MethodOptions fromMap(Map<String, ?> map, String source) {
    Object name = map.get(K_METHOD);
    if (name == null) {
      throw new InvalidInputException(source, 0, K_METHOD, "missing: name one of " + String.join(", ", MethodRegistry.descriptions().keySet()));
    }
    Method m = MethodRegistry.get(String.valueOf(name), source, 0, K_METHOD);
    List<String> allowed = keys(m);
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw new InvalidInputException(source, 0, key, "is not an option of method '" + m.name() + "'"
            + DidYouMean.hint(key, allowed));
      }
    }
    MethodOptions d = defaults(m);
    if (m.isFull()) {
      return d;
    }
    Parser p = new Parser(map, source);
    int rank = p.integer(K_RANK, d.rank);
    Double alphaGiven = map.containsKey(K_ALPHA) ? p.number(K_ALPHA, 0) : null;
    double alpha = alphaGiven != null ? alphaGiven : defaultAlpha(m, rank);
    boolean rslora = p.bool(K_RSLORA, false);
    double dropout = p.number(K_DROPOUT, 0.0);
    List<String> targets = p.strings(K_TARGETS);
    Svd.Options svd = null;
    if (m.svdBased()) {
      String mode = p.string(K_SVD, "exact");
      if (mode.equals("exact")) {
        if (map.containsKey(K_SVD_NITER) || map.containsKey(K_SVD_OVERSAMPLE)) {
          throw new InvalidInputException(source, 0, map.containsKey(K_SVD_NITER) ? K_SVD_NITER : K_SVD_OVERSAMPLE,
              "applies only with svd: randomized");
        }
        svd = Svd.Options.EXACT;
      } else if (mode.equals("randomized")) {
        svd = new Svd.Options(true, p.integer(K_SVD_NITER, defaultNiter(m)), p.integer(K_SVD_OVERSAMPLE, defaultOversample(m, rank)));
      } else {
        throw new InvalidInputException(source, 0, K_SVD, "must be 'exact' or 'randomized', not '" + mode + "'");
      }
    }
    LoraGaDirection dir = d.direction;
    LoraGaScale sc = d.scale;
    if (map.containsKey(K_DIRECTION)) {
      dir = p.choice(K_DIRECTION, LoraGaDirection.values());
    }
    if (map.containsKey(K_SCALE)) {
      sc = p.choice(K_SCALE, LoraGaScale.values());
    }
    double gamma = p.number(K_GAMMA, d.stableGamma);
    boolean fa = p.bool(K_LORAFA_OPT, d.loraFaOptimizer);
    int samples = p.integer(K_EST_SAMPLES, d.estimationSamples);
    int batch = p.integer(K_EST_BATCH, d.estimationBatchSize);
    MethodOptions o = new MethodOptions(m, rank, alpha, rslora, dropout, targets, dir, sc, gamma, fa, svd, samples, batch);
    return o.validate(source);
  }

  /** Checks every option, returning this; a bad one is an input error naming the option. */
  public MethodOptions validate(String source) {
    if (method.isFull()) {
      return this;
    }
    if (rank < 1) {
      throw new InvalidInputException(source, 0, K_RANK, "must be at least 1, got " + rank);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new InvalidInputException(source, 0, K_ALPHA, "must be a positive finite number, got " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new InvalidInputException(source, 0, K_DROPOUT, "must be in [0, 1), got " + dropout);
    }
    if (targetModules != null) {
      if (targetModules.isEmpty()) {
        throw new InvalidInputException(source, 0, K_TARGETS, "must name at least one module (leave it out for the model's defaults)");
      }
      Set<String> seen = new LinkedHashSet<>();
      for (String t : targetModules) {
        if (t == null || t.isBlank() || t.startsWith(".") || t.endsWith(".")) {
          throw new InvalidInputException(source, 0, K_TARGETS, "has an empty or malformed module suffix '" + t + "'");
        }
        if (!seen.add(t)) {
          throw new InvalidInputException(source, 0, K_TARGETS, "names '" + t + "' twice");
        }
      }
    }
    if (method.name().equals(MethodRegistry.LORA_SB)) {
      if (alpha != rank) {
        throw new InvalidInputException(source, 0, K_ALPHA, "lora-sb fixes alpha = rank (s = 1) as its reference code does; got alpha "
            + fmt(alpha) + " with rank " + rank + " (leave alpha out)");
      }
      if (rslora) {
        throw new InvalidInputException(source, 0, K_RSLORA, "lora-sb does not use rsLoRA (its scaling is fixed at s = 1)");
      }
    }
    if (svd != null && svd.randomized()) {
      if (svd.niter() < 0) {
        throw new InvalidInputException(source, 0, K_SVD_NITER, "must be 0 or more, got " + svd.niter());
      }
      if (svd.oversample() < 0) {
        throw new InvalidInputException(source, 0, K_SVD_OVERSAMPLE, "must be 0 or more, got " + svd.oversample());
      }
    }
    if (method.name().equals(MethodRegistry.LORA_GA) && !(stableGamma > 0 && !Double.isInfinite(stableGamma))) {
      throw new InvalidInputException(source, 0, K_GAMMA, "must be a positive finite number, got " + stableGamma);
    }
    if (method.needsGradientEstimate()) {
      if (estimationSamples < 1) {
        throw new InvalidInputException(source, 0, K_EST_SAMPLES, "must be at least 1, got " + estimationSamples);
      }
      if (estimationBatchSize < 1) {
        throw new InvalidInputException(source, 0, K_EST_BATCH, "must be at least 1, got " + estimationBatchSize);
      }
    }
    return this;
  }

  /**
   * The shape limits of one adapted m×n matrix: SVD methods need rank ≤ min(m, n), LoRA-GA needs
   * 2·rank ≤ min(m, n) (it takes singular vectors 1..2r).
   */
  public void checkShape(String module, long m, long n) {
    long min = Math.min(m, n);
    if (method.name().equals(MethodRegistry.LORA_GA) && 2L * rank > min) {
      throw new InvalidInputException((String) null, 0, K_RANK, "lora-ga uses 2*rank = " + 2 * rank + " singular vectors, but "
          + module + " (" + m + "x" + n + ") has only min(m, n) = " + min + "; use rank <= " + min / 2);
    }
    if (method.svdBased() && rank > min) {
      throw new InvalidInputException((String) null, 0, K_RANK, method.name() + " needs rank <= min(m, n), but " + module + " ("
          + m + "x" + n + ") has min(m, n) = " + min + " < rank " + rank);
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** Typed reads of a loosely typed map with errors naming the key. */
  private static final class Parser {
    private final Map<String, ?> map;
    private final String source;

    Parser(Map<String, ?> map, String source) {
      this.map = map;
      this.source = source;
    }

    int integer(String key, int dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Number) {
        double d = ((Number) v).doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
          return (int) d;
        }
      }
      throw new InvalidInputException(source, 0, key, "must be an integer, got " + describe(v));
    }

    double number(String key, double dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Number) {
        return ((Number) v).doubleValue();
      }
      throw new InvalidInputException(source, 0, key, "must be a number, got " + describe(v));
    }

    boolean bool(String key, boolean dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof Boolean) {
        return (Boolean) v;
      }
      throw new InvalidInputException(source, 0, key, "must be true or false, got " + describe(v));
    }

    String string(String key, String dflt) {
      Object v = map.get(key);
      if (v == null) {
        return dflt;
      }
      if (v instanceof String) {
        return (String) v;
      }
      throw new InvalidInputException(source, 0, key, "must be a string, got " + describe(v));
    }

    List<String> strings(String key) {
      Object v = map.get(key);
      if (v == null) {
        return null;
      }
      if (v instanceof String) {
        return List.of((String) v);
      }
      if (v instanceof List) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
          if (!(o instanceof String)) {
            throw new InvalidInputException(source, 0, key, "must be a list of module-name suffixes, found " + describe(o));
          }
          out.add((String) o);
        }
        return out;
      }
      throw new InvalidInputException(source, 0, key, "must be a list of module-name suffixes, got " + describe(v));
    }

    <E extends Enum<E>> E choice(String key, E[] values) {
      String s = string(key, null);
      List<String> names = new ArrayList<>();
      for (E e : values) {
        String text = textOf(e);
        names.add(text);
        if (text.equals(s)) {
          return e;
        }
      }
      for (E e : values) {
        if (textOf(e).toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) {
          throw new InvalidInputException(source, 0, key, "is case-sensitive: write '" + textOf(e) + "', not '" + s + "'");
        }
      }
      throw new InvalidInputException(source, 0, key, "unknown value '" + s + "'" + DidYouMean.hint(s, names));
    }

    private static String textOf(Enum<?> e) {
      if (e instanceof LoraGaDirection) {
        return ((LoraGaDirection) e).text;
      }
      return ((LoraGaScale) e).text;
    }

    private static String describe(Object v) {
      return v instanceof String ? "'" + v + "'" : String.valueOf(v);
    }
  }
}
