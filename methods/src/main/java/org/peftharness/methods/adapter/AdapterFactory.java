package org.peftharness.methods.adapter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.Role;
import org.peftharness.methods.TargetModules;
import org.peftharness.methods.adapter.SessionTransfers.Assignment;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.init.TrainingPlan;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The {@link LinearFactory} of one configured method. Passed to a model graph, it hands every
 * targeted linear map (PEFT's suffix rule, {@link TargetModules#matches}) to the method's
 * {@code adapt}, which declares the site's variables through a {@link SiteBuilder} and returns its
 * output, and leaves the other maps plain. A method that trains the whole model gets every linear
 * map, and the trainer trains every model parameter.
 *
 * <p>Order of use: build the model with this factory; load the pretrained weights; for a method
 * with a gradient pre-pass run {@link #zeroAdapters} and the pre-pass over {@link #sites()}'
 * weights; call {@link #initialize}; train {@link #trainableVariables()}, through
 * {@link #gradientTransform} where the method has one; read {@link #snapshot} for merge/export.
 */
public final class AdapterFactory implements LinearFactory {
  /** The roles {@link SiteState} has a field for; any other is a method's own. */
  private static final Set<Role> SHARED_ROLES = Set.of(Role.WEIGHT, Role.BIAS, Role.A, Role.B, Role.R);

  private final MethodConfig<?> config;
  private final List<String> targets;
  private final AdapterDropout dropout;
  private final Map<String, AdapterSite> sites = new LinkedHashMap<>();

  private AdapterFactory(MethodConfig<?> config, List<String> targets, AdapterDropout dropout) {
    this.config = config;
    this.targets = List.copyOf(targets);
    this.dropout = dropout == null ? AdapterDropout.IDENTITY : dropout;
  }

  /**
   * @param config the method with its validated options
   * @param familyDefaultTargets the model family's default targets, used when the options name none
   * @param dropout the harness's adapter-dropout op (null: identity; required when dropout > 0)
   */
  public static AdapterFactory create(MethodConfig<?> config, List<String> familyDefaultTargets, AdapterDropout dropout) {
    double rate = config.adapterOptions().map(o -> o.dropout()).orElse(0.0);
    if (rate > 0 && dropout == null) {
      throw new IllegalArgumentException("dropout " + rate + " needs the harness's AdapterDropout");
    }
    return new AdapterFactory(config, config.targets(familyDefaultTargets), dropout);
  }

  /** The method with its options. */
  public MethodConfig<?> config() {
    return config;
  }

  /** The target-module suffixes in force. */
  public List<String> targetModules() {
    return targets;
  }

  public boolean isTargeted(String module) {
    return !config.trainsNothing() && (config.trainsWholeModel() || TargetModules.matches(module, targets));
  }

  @Override
  public boolean trainsBaseWeights() {
    return config.trainsWholeModel();
  }

  @Override
  public <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight, Variable<?> stored,
      Operand<T> bias) {
    if (!isTargeted(site.module())) {
      return nn.linear(x, weight, bias);
    }
    if (sites.containsKey(site.module())) {
      throw new IllegalStateException("site built twice: " + site.module());
    }
    AdapterSite as = new AdapterSite(site);
    sites.put(site.module(), as);
    config.checkShape(site.module(), site.outFeatures(), site.inFeatures());
    return config.adapt(new SiteBuilder<>(as, nn, x, weight, stored, bias, dropout, config.method().trainableRoles()));
  }

  /** The adapted sites in build order (when the whole model trains: every linear site). */
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
   * The variables the optimizer updates, those of the method's trainable roles (when the whole
   * model trains: every linear weight and bias, and the trainer trains all other model parameters too).
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

  /** Trainable parameters of the adapted sites (when the whole model trains: of the linear maps only). */
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
   * Sets every variable the method declared (A, B, R) to zero so the model computes exactly the
   * base model: the state for a gradient pre-pass, whose gradients with respect to the weights
   * are then those of the base model.
   */
  public void zeroAdapters(Session session) {
    List<Assignment> zeros = new ArrayList<>();
    for (AdapterSite s : sites.values()) {
      for (AdapterVariable v : s.variables().values()) {
        if (!v.role().equals(Role.WEIGHT) && !v.role().equals(Role.BIAS) && v.assign() != null) {
          zeros.add(assignment(v, FloatTensor.zeros(v.shape())));
        }
      }
    }
    SessionTransfers.assign(session, zeros);
  }

  /**
   * Initialises every adapted site: reads W0 from the session, runs the method's initialisation
   * with the site's seed streams ({@code init/<module>} for random parameters,
   * {@code init/<module>/svd} for a randomized SVD) and assigns the result. A method that trains
   * the whole model starts from the pretrained weights and draws no stream.
   *
   * @param gradients the pre-pass's estimated gradient per module; may be empty for a method without one
   * @param plan the cell's training plan (LoRA-SB's η_eff reads it)
   */
  public void initialize(Session session, SeedStreams seeds, Map<String, FloatTensor> gradients, TrainingPlan plan) {
    if (config.trainsWholeModel()) {
      return;
    }
    // sites in runs of bounded size: their W0 fetched in one run, their inits assigned in another
    List<AdapterSite> all = List.copyOf(sites.values());
    for (List<AdapterSite> run : SessionTransfers.runs(all, s -> SessionTransfers.hostBytes(s.weight()))) {
      List<FloatTensor> w0s = SessionTransfers.fetch(session, run.stream().map(AdapterSite::weight).toList());
      List<Assignment> assignments = new ArrayList<>();
      for (int i = 0; i < run.size(); i++) {
        AdapterSite s = run.get(i);
        InitInputs in = new InitInputs(s.module(), w0s.get(i), gradients == null ? null : gradients.get(s.module()), plan,
            seeds.random(SeedStreams.INIT, s.module()), seeds.random(SeedStreams.INIT, s.module() + "/svd"));
        assignments.addAll(assignments(s, config.init(in)));
      }
      SessionTransfers.assign(session, assignments);
    }
  }

  /** Assigns given initial tensors to one site (for callers that compute the init themselves). */
  public void assign(Session session, AdapterSite s, SiteInit init) {
    SessionTransfers.assign(session, assignments(s, init));
  }

  /** The assignments of a site's initial tensors; the site counts as initialised from here on. */
  private static List<Assignment> assignments(AdapterSite s, SiteInit init) {
    if (s.init() != null) {
      throw new IllegalStateException(s.module() + " is already initialised");
    }
    List<Assignment> out = new ArrayList<>();
    init.tensors().forEach((role, value) -> {
      AdapterVariable v = s.variable(role);
      if (v == null) {
        throw new IllegalStateException(s.module() + " has no variable of role " + role);
      }
      out.add(assignment(v, value));
    });
    s.initialized(init);
    return out;
  }

  /** The method's optimizer-side transform over the initialised sites, built into the graph with {@code tf}. */
  public Optional<GradientTransform> gradientTransform(Ops tf) {
    return config.gradientTransform(tf, sites());
  }

  /** The current tensors of every adapted site, with their initial values (for merge and export). */
  public Map<String, SiteState> snapshot(Session session) {
    List<Operand<?>> wanted = new ArrayList<>();
    for (AdapterSite s : sites.values()) {
      wanted.add(s.weight());
      s.variables().forEach((role, v) -> {
        if (!role.equals(Role.WEIGHT)) {
          wanted.add(v.variable());
        }
      });
    }
    List<FloatTensor> fetched = SessionTransfers.fetch(session, wanted);
    Map<Operand<?>, FloatTensor> values = new IdentityHashMap<>();
    for (int i = 0; i < wanted.size(); i++) {
      values.put(wanted.get(i), fetched.get(i));
    }
    Map<String, SiteState> out = new LinkedHashMap<>();
    for (AdapterSite s : sites.values()) {
      Map<Role, FloatTensor> own = new LinkedHashMap<>();
      s.variables().forEach((role, v) -> {
        if (!SHARED_ROLES.contains(role)) {
          own.put(role, values.get(v.variable()));
        }
      });
      out.put(s.module(), new SiteState(s.site(), values.get(s.weight()), role(values, s, Role.BIAS),
          role(values, s, Role.A), role(values, s, Role.B), role(values, s, Role.R), s.init(), own));
    }
    return out;
  }

  private static FloatTensor role(Map<Operand<?>, FloatTensor> values, AdapterSite s, Role role) {
    AdapterVariable v = s.variable(role);
    return v == null ? null : values.get(v.variable());
  }

  private static Assignment assignment(AdapterVariable v, FloatTensor value) {
    if (v.assign() == null) {
      throw new IllegalStateException(v.name() + " is not assigned by the method");
    }
    if (!Arrays.equals(v.shape(), value.shape())) {
      throw new IllegalArgumentException(v.name() + " has shape " + Arrays.toString(v.shape())
          + ", value has " + Arrays.toString(value.shape()));
    }
    return new Assignment(v.feed(), v.assign(), () -> value);
  }
}
