package org.peftharness.methods.adapter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Method;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.Role;
import org.peftharness.methods.TargetModules;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Initializers;
import org.peftharness.methods.init.SiteInit;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The {@link LinearFactory} of one configured method. Passed to a model graph, it adapts every
 * targeted linear map (PEFT's suffix rule, {@link TargetModules#matches}) and leaves the others
 * plain. Per adapted site it declares variables (sub-scope {@code adapters}, named
 * {@code <module>.lora_A}, {@code .lora_B}, {@code .lora_R}) that are filled, like the model's
 * weights, from float32 placeholders, and computes exactly PEFT's forward:
 * <pre>
 *   y = x Wᵀ + b + s·(dropout(x) Aᵀ) Bᵀ            (LoRA, LoRA-FA, PiSSA, LoRA-GA; W = W0 or W_res)
 *   y = x Wᵀ + b + s·((dropout(x) Aᵀ) Rᵀ) Bᵀ       (LoRA-XS, LoRA-SB)
 * </pre>
 * For PiSSA and LoRA-GA the model's own weight variable is re-assigned to W_res at init.
 *
 * <p>Order of use: build the model with this factory; load the pretrained weights; for LoRA-GA /
 * LoRA-SB run {@link #zeroAdapters} and the gradient pre-pass over {@link #sites()}' weights; call
 * {@link #initialize}; train {@link #trainableVariables()}; read {@link #snapshot} for merge/export.
 * Full fine-tuning adapts nothing: every linear site is recorded with WEIGHT and BIAS trainable,
 * and the trainer trains every model parameter.
 */
public final class AdapterFactory implements LinearFactory {
  private final MethodOptions options;
  private final List<String> targets;
  private final AdapterDropout dropout;
  private final Map<String, AdapterSite> sites = new LinkedHashMap<>();

  private AdapterFactory(MethodOptions options, List<String> targets, AdapterDropout dropout) {
    this.options = options;
    this.targets = List.copyOf(targets);
    this.dropout = dropout == null ? AdapterDropout.IDENTITY : dropout;
  }

  /**
   * @param options the validated method options
   * @param familyDefaultTargets the model family's default targets, used when the options name none
   * @param dropout the harness's adapter-dropout op (null: identity; required when dropout > 0)
   */
  public static AdapterFactory create(MethodOptions options, List<String> familyDefaultTargets, AdapterDropout dropout) {
    options.validate(null);
    if (options.dropout() > 0 && dropout == null) {
      throw new IllegalArgumentException("dropout " + options.dropout() + " needs the harness's AdapterDropout");
    }
    List<String> t = options.targetModules() != null ? options.targetModules() : familyDefaultTargets;
    return new AdapterFactory(options, t, dropout);
  }

  public MethodOptions options() {
    return options;
  }

  public Method method() {
    return options.method();
  }

  /** The target-module suffixes in force. */
  public List<String> targetModules() {
    return targets;
  }

  public boolean isTargeted(String module) {
    return method().isFull() || TargetModules.matches(module, targets);
  }

  @Override
  public <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Operand<T> bias) {
    if (!isTargeted(site.module())) {
      return nn.linear(x, weight, bias);
    }
    if (sites.containsKey(site.module())) {
      throw new IllegalStateException("site built twice: " + site.module());
    }
    Method m = method();
    AdapterSite as = new AdapterSite(site, options.scaling());
    sites.put(site.module(), as);
    if (m.isFull()) {
      as.put(new AdapterVariable(site.weightName(), Role.WEIGHT, new long[] {site.outFeatures(), site.inFeatures()},
          weight, null, null, true));
      if (bias != null) {
        as.put(new AdapterVariable(site.biasName(), Role.BIAS, new long[] {site.outFeatures()}, bias, null, null, true));
      }
      return nn.linear(x, weight, bias);
    }
    options.checkShape(site.module(), site.outFeatures(), site.inFeatures());
    Ops scoped = nn.tf.withSubScope("adapters");
    if (m.replacesBase()) {
      Placeholder<TFloat32> feed = scoped.withName(site.module() + ".residual.feed")
          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(site.outFeatures(), site.inFeatures())));
      Op assign = scoped.withName(site.module() + ".residual.assign").assign(weight, nn.cast(feed));
      as.put(new AdapterVariable(site.weightName(), Role.WEIGHT, new long[] {site.outFeatures(), site.inFeatures()},
          weight, feed, assign, false));
    } else {
      as.put(new AdapterVariable(site.weightName(), Role.WEIGHT, new long[] {site.outFeatures(), site.inFeatures()},
          weight, null, null, false));
    }
    long r = options.rank();
    Variable<T> a = declare(scoped, nn, as, Role.A, ".lora_A", r, site.inFeatures());
    Variable<T> b = declare(scoped, nn, as, Role.B, ".lora_B", site.outFeatures(), r);
    Variable<T> rr = m.parametrisation() == Method.Parametrisation.LATENT
        ? declare(scoped, nn, as, Role.R, ".lora_R", r, r) : null;
    if (m.name().equals(MethodRegistry.LORA_FA) && options.loraFaOptimizer()) {
      declare(scoped, nn, as, Role.LORAFA_PRECONDITIONER, ".lorafa_preconditioner", r, r);
    }

    Operand<T> base = nn.linear(x, weight, bias);
    Operand<T> h = options.dropout() > 0 ? dropout.apply(site, nn, x, options.dropout()) : x;
    h = nn.tf.linalg.matMul(h, a, MatMul.transposeB(true));
    if (rr != null) {
      h = nn.tf.linalg.matMul(h, rr, MatMul.transposeB(true));
    }
    h = nn.tf.linalg.matMul(h, b, MatMul.transposeB(true));
    return nn.tf.math.add(base, nn.tf.math.mul(h, nn.scalar(options.scaling())));
  }

  private <T extends TNumber> Variable<T> declare(Ops scoped, Nn<T> nn, AdapterSite as, Role role, String suffix, long... shape) {
    String name = as.module() + suffix;
    Variable<T> v = scoped.withName(name).variable(Shape.of(shape), nn.type);
    Placeholder<TFloat32> feed = scoped.withName(name + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Op assign = scoped.withName(name + ".assign").assign(v, nn.cast(feed));
    as.put(new AdapterVariable(name, role, shape.clone(), v, feed, assign, method().isTrainable(role)));
    return v;
  }

  /** The adapted sites in build order (for full FT: every linear site). */
  public List<AdapterSite> sites() {
    return List.copyOf(sites.values());
  }

  public AdapterSite site(String module) {
    return sites.get(module);
  }

  /** Every variable the method declared or claimed, site by site. */
  public List<AdapterVariable> variables() {
    List<AdapterVariable> out = new ArrayList<>();
    sites.values().forEach(s -> out.addAll(s.variables().values()));
    return Collections.unmodifiableList(out);
  }

  /**
   * The variables the optimizer updates (A and B; B only for LoRA-FA; R for LoRA-XS/SB; every
   * linear weight and bias for full FT — where the trainer also trains all other model parameters).
   */
  public List<AdapterVariable> trainableVariables() {
    List<AdapterVariable> out = new ArrayList<>();
    for (AdapterVariable v : variables()) {
      if (v.trainable()) {
        out.add(v);
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** Trainable parameters of the adapted sites (full FT: of the linear maps only). */
  public long trainableParameterCount() {
    long n = 0;
    for (AdapterVariable v : trainableVariables()) {
      long p = 1;
      for (long d : v.shape()) {
        p *= d;
      }
      n += p;
    }
    return n;
  }

  /**
   * Sets A, B, R (and the LoRA-FA preconditioner) to zero so the model computes exactly the base
   * model: the state for the gradient-estimation pre-pass of LoRA-GA / LoRA-SB, whose gradients
   * with respect to the weights are then those of the base model.
   */
  public void zeroAdapters(Session session) {
    for (AdapterSite s : sites.values()) {
      for (AdapterVariable v : s.variables().values()) {
        if (v.role() != Role.WEIGHT && v.role() != Role.BIAS && v.assign() != null) {
          feed(session, v, FloatTensor.zeros(v.shape()));
        }
      }
    }
  }

  /**
   * Initialises every adapted site: reads W0 from the session, runs the method's initialisation
   * with the site's seed streams ({@code init/<module>} for random parameters,
   * {@code init/<module>/svd} for a randomized SVD) and assigns the result.
   *
   * @param gradients estimated gradient per module (LoRA-GA: averaged, LoRA-SB: summed); may be
   *     empty for the other methods
   * @param etaEff LoRA-SB's effective learning rate; ignored by the others
   */
  public void initialize(Session session, SeedStreams seeds, Map<String, FloatTensor> gradients, double etaEff) {
    if (method().isFull()) {
      return;
    }
    for (AdapterSite s : sites.values()) {
      FloatTensor w0 = read(session, s.weight());
      InitInputs in = new InitInputs(s.module(), w0, gradients == null ? null : gradients.get(s.module()), etaEff,
          seeds.random(SeedStreams.INIT, s.module()), seeds.random(SeedStreams.INIT, s.module() + "/svd"));
      assign(session, s, Initializers.initialize(options, in));
    }
  }

  /** Assigns given initial tensors to one site (for callers that compute the init themselves). */
  public void assign(Session session, AdapterSite s, SiteInit init) {
    if (s.init() != null) {
      throw new IllegalStateException(s.module() + " is already initialised");
    }
    feed(session, s.variable(Role.A), init.a());
    feed(session, s.variable(Role.B), init.b());
    if (s.variable(Role.R) != null) {
      feed(session, s.variable(Role.R), init.r());
    }
    if (init.residual() != null) {
      feed(session, s.variable(Role.WEIGHT), init.residual());
    }
    FloatTensor p = null;
    if (s.variable(Role.LORAFA_PRECONDITIONER) != null) {
      p = LoraFa.preconditioner(init.a(), s.scaling());
      feed(session, s.variable(Role.LORAFA_PRECONDITIONER), p);
    }
    s.initialized(init, p);
  }

  /** The current tensors of every adapted site, with their initial values (for merge and export). */
  public Map<String, SiteState> snapshot(Session session) {
    Map<String, SiteState> out = new LinkedHashMap<>();
    for (AdapterSite s : sites.values()) {
      AdapterVariable bias = s.variable(Role.BIAS);
      out.put(s.module(), new SiteState(s.site(), read(session, s.weight()),
          bias == null ? null : read(session, bias.variable()),
          readRole(session, s, Role.A), readRole(session, s, Role.B), readRole(session, s, Role.R), s.init()));
    }
    return out;
  }

  private static FloatTensor readRole(Session session, AdapterSite s, Role role) {
    AdapterVariable v = s.variable(role);
    return v == null ? null : read(session, v.variable());
  }

  static FloatTensor read(Session session, Operand<?> op) {
    try (org.tensorflow.Result r = session.runner().fetch(op).run()) {
      Tensor t = r.get(0);
      return TensorIO.toHost(t);
    }
  }

  private static void feed(Session session, AdapterVariable v, FloatTensor value) {
    if (v.assign() == null) {
      throw new IllegalStateException(v.name() + " is not assigned by the method");
    }
    if (!java.util.Arrays.equals(v.shape(), value.shape())) {
      throw new IllegalArgumentException(v.name() + " has shape " + java.util.Arrays.toString(v.shape())
          + ", value has " + java.util.Arrays.toString(value.shape()));
    }
    try (TFloat32 t = TensorIO.toTensor(value)) {
      session.runner().feed(v.feed(), t).addTarget(v.assign()).run().close();
    }
  }
}
