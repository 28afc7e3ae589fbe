package org.peftharness.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * AdamW as graph ops with the semantics of {@code torch.optim.AdamW} (single-tensor path):
 * <pre>
 *   p *= 1 - lr*wd                       (decoupled weight decay, before the Adam step)
 *   m  = lerp(m, g, 1 - beta1)
 *   v  = v*beta2 + (1 - beta2)*g*g
 *   p += -(lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * with {@code t} the 1-based step, and optional clipping of the gradients to a global L2 norm as
 * {@code clip_grad_norm_} ({@code coef = min(1, max/(norm + 1e-6))}).
 *
 * <p>The moment and parameter updates of a variable are one fused {@code ApplyAdam} op (one pass
 * over p, m, v and g instead of a dozen elementwise ops, each writing a temporary as large as the
 * variable): TensorFlow's kernel (core/kernels/training_ops.cc, ApplyAdam) computes
 * {@code m += (g - m)(1 - beta1); v += (g*g - v)(1 - beta2); p -= alpha m / (sqrt(v) + eps')}
 * with {@code alpha = lr' sqrt(1 - b2p) / (1 - b1p)}. Fed beta powers of 0 it takes {@code alpha =
 * lr'} as given, and with {@code lr' = lr sqrt(1 - beta2^t) / (1 - beta1^t)} and {@code eps' = eps
 * sqrt(1 - beta2^t)} (both computed in float64, rounded once to the variables' type) the update is
 * torch's exactly in arithmetic. One correction more: the kernel forms {@code 1 - beta} in the
 * variables' type, and in float32 {@code 1 - 0.999f} is 0.99998713e-3, so its v is that factor
 * {@code c2} times torch's, and its m {@code c1} times (both scale every step alike); {@code lr'}
 * is multiplied by {@code sqrt(c2)/c1} and {@code eps'} by {@code sqrt(c2)}, which cancels them.
 * Only the rounding of the last bits then differs from the unfused ops. The per-tensor norms of
 * the clipping come from {@code L2Loss} ({@code sum(g^2)/2}, one pass, no temporary).
 *
 * <p>The learning rate of each group is fed per step (the schedule lives on the host). Order is
 * enforced with control dependencies: every gradient (and whatever the caller lists, e.g. the
 * loss) is computed before any variable is written, and the step counter moves after all updates.
 */
public final class AdamW<T extends TNumber> {
  /** The hyper-parameters shared by all groups. */
  public record Hyper(double beta1, double beta2, double eps, double maxGradNorm) {}

  /** One slot of optimizer state beside a trainable variable. */
  public record Slot<T extends TNumber>(String name, Variable<T> param, Variable<T> m, Variable<T> v, int group) {}

  /** The ops of one update: run {@link #train()} with the group learning rates fed; fetch the norm. */
  public record Update(Op train, Operand<TFloat64> gradNorm) {}

  private final Ops tf;
  private final Class<T> type;
  private final Hyper hyper;
  private final List<ParamGroup<T>> groups;
  private final List<Placeholder<TFloat64>> learningRates = new ArrayList<>();
  private final List<Slot<T>> slots = new ArrayList<>();
  private final Variable<TInt64> step;
  private final Op init;
  private final Operand<T> zero;

  public AdamW(Ops tf, Class<T> type, List<ParamGroup<T>> groups, Hyper hyper) {
    this.tf = tf.withSubScope("adamw");
    this.type = type;
    this.hyper = hyper;
    this.groups = List.copyOf(groups);
    this.zero = this.tf.withName("zero").dtypes.cast(this.tf.constant(0f), type);
    List<Op> inits = new ArrayList<>();
    Ops s = this.tf;
    for (int gi = 0; gi < groups.size(); gi++) {
      ParamGroup<T> g = groups.get(gi);
      learningRates.add(s.withName("lr_" + gi).placeholder(TFloat64.class, Placeholder.shape(Shape.scalar())));
      for (Map.Entry<String, Variable<T>> e : g.variables().entrySet()) {
        int k = slots.size();
        Shape shape = e.getValue().shape();
        Variable<T> m = s.withName("m_" + k).variable(shape, type);
        Variable<T> v = s.withName("v_" + k).variable(shape, type);
        inits.add(s.assign(m, zeros(s, shape)));
        inits.add(s.assign(v, zeros(s, shape)));
        slots.add(new Slot<>(e.getKey(), e.getValue(), m, v, gi));
      }
    }
    step = s.withName("step").variable(Shape.scalar(), TInt64.class);
    inits.add(s.assign(step, s.constant(0L)));
    init = s.withControlDependencies(inits).withName("init").noOp();
  }

  /**
   * Zeros of a shape, as one Fill: {@code Ops.zeros} opens a name scope, and every new scope in
   * TensorFlow Java 1.1 walks all of the graph's operations ({@code NameScope.importIdsFrom}),
   * which cost seconds per cell over a model's variables.
   */
  Operand<T> zeros(Ops in, Shape shape) {
    return in.fill(in.constant(shape.asArray()), zero);
  }

  /** Zeroes the moments and the step counter (run once before training). */
  public void initialize(Session session) {
    session.runner().addTarget(init).run().close();
  }

  public List<Slot<T>> slots() {
    return Collections.unmodifiableList(slots);
  }

  public List<ParamGroup<T>> groups() {
    return groups;
  }

  /** The step counter: how many updates have been applied. */
  public Variable<TInt64> step() {
    return step;
  }

  /** Scalar float64 learning rate of group {@code i}, to feed on every update. */
  public Placeholder<TFloat64> learningRate(int group) {
    return learningRates.get(group);
  }

  /** Every trainable variable in slot order. */
  public List<Variable<T>> variables() {
    List<Variable<T>> out = new ArrayList<>();
    slots.forEach(s -> out.add(s.param()));
    return out;
  }

  /** Optimizer state to checkpoint, by name: {@code m/<name>}, {@code v/<name>}. */
  public Map<String, Variable<T>> state() {
    Map<String, Variable<T>> out = new LinkedHashMap<>();
    for (Slot<T> s : slots) {
      out.put("adamw/m/" + s.name(), s.m());
      out.put("adamw/v/" + s.name(), s.v());
    }
    return out;
  }

  /**
   * Builds one update from gradients aligned with {@link #slots()}.
   *
   * @param before ops that must finish before any variable is written (e.g. the loss), besides the gradients
   * @param after ops to run after all updates but before the step counter moves (e.g. zeroing accumulators), built by the function from the update ops
   */
  public Update build(List<Operand<T>> gradients, List<Op> before, java.util.function.Function<Ops, List<Op>> after) {
    return build(gradients, before, after, null);
  }

  /**
   * @param transform applied to a variable's gradient after clipping, before the Adam moments
   *     (by variable name; PEFT's LoRA-FA optimizer preconditions B's gradient there), or null
   */
  public Update build(List<Operand<T>> gradients, List<Op> before, java.util.function.Function<Ops, List<Op>> after,
      java.util.function.BiFunction<String, Operand<T>, Operand<T>> transform) {
    if (gradients.size() != slots.size()) {
      throw new IllegalArgumentException(gradients.size() + " gradients for " + slots.size() + " variables");
    }
    Ops s = tf;
    List<Op> ready = new ArrayList<>(before);
    List<Operand<T>> grads = new ArrayList<>();
    for (Operand<T> g : gradients) {
      var id = s.identity(g);
      ready.add(id);
      grads.add(id);
    }
    Op gradientsReady = s.withControlDependencies(ready).withName("gradients_ready").noOp();
    Ops gated = s.withControlDependencies(List.of(gradientsReady));

    // global norm as torch: the norm of the per-tensor norms (torch.nn.utils.clip_grad_norm_)
    List<Operand<T>> squares = new ArrayList<>();
    for (Operand<T> g : grads) {
      Operand<T> n = gated.math.sqrt(gated.math.mul(gated.nn.l2Loss(g), scalar(gated, 2.0)));
      squares.add(gated.math.square(n));
    }
    Operand<T> norm = gated.math.sqrt(gated.math.addN(squares));
    Operand<TFloat64> norm64 = gated.withName("grad_norm").dtypes.cast(norm, TFloat64.class);
    Operand<T> coef = null;
    if (hyper.maxGradNorm() > 0) {
      Operand<T> raw = gated.math.div(scalar(gated, hyper.maxGradNorm()), gated.math.add(norm, scalar(gated, 1e-6)));
      coef = gated.math.minimum(raw, scalar(gated, 1.0));
    }

    Operand<TFloat64> t = gated.dtypes.cast(gated.math.add(step, gated.constant(1L)), TFloat64.class);
    Operand<TFloat64> bc1 = gated.math.sub(gated.constant(1.0), gated.math.pow(gated.constant(hyper.beta1()), t));
    Operand<TFloat64> bc2Sqrt = gated.math.sqrt(gated.math.sub(gated.constant(1.0), gated.math.pow(gated.constant(hyper.beta2()), t)));
    Operand<T> zeroPower = scalar(gated, 0.0);
    Operand<T> beta1 = scalar(gated, hyper.beta1());
    Operand<T> beta2 = scalar(gated, hyper.beta2());
    double c1 = kernelOneMinus(hyper.beta1()) / (1 - hyper.beta1());
    double c2Sqrt = Math.sqrt(kernelOneMinus(hyper.beta2()) / (1 - hyper.beta2()));
    Operand<T> epsilon = cast(gated, gated.math.mul(gated.constant(hyper.eps() * c2Sqrt), bc2Sqrt));

    List<Op> updates = new ArrayList<>();
    for (int k = 0; k < slots.size(); k++) {
      Slot<T> slot = slots.get(k);
      ParamGroup<T> group = groups.get(slot.group());
      Operand<TFloat64> lr = learningRates.get(slot.group());
      Operand<T> g = coef == null ? grads.get(k) : gated.math.mul(grads.get(k), coef);
      if (transform != null) {
        g = transform.apply(slot.name(), g);
      }
      Ops apply = gated;
      if (group.weightDecay() != 0) {
        Operand<TFloat64> decay = gated.math.sub(gated.constant(1.0), gated.math.mul(lr, gated.constant(group.weightDecay())));
        Op decayed = gated.assign(slot.param(), gated.math.mul(slot.param(), cast(gated, decay)));
        apply = gated.withControlDependencies(List.of(gradientsReady, decayed));
      }
      Operand<T> stepSize = cast(gated, gated.math.div(gated.math.mul(gated.math.mul(lr, gated.constant(c2Sqrt / c1)), bc2Sqrt), bc1));
      updates.add(apply.train.applyAdam(slot.param(), slot.m(), slot.v(), zeroPower, zeroPower, stepSize, beta1, beta2,
          epsilon, g));
    }
    Op updated = s.withControlDependencies(updates).withName("updated").noOp();
    List<Op> tail = new ArrayList<>();
    tail.add(updated);
    if (after != null) {
      tail.addAll(after.apply(s.withControlDependencies(List.of(updated))));
    }
    Op bump = s.withControlDependencies(tail).assignAdd(step, s.constant(1L));
    Op train = s.withControlDependencies(List.of(bump)).withName("train").noOp();
    return new Update(train, norm64);
  }

  /** {@code 1 - beta} as ApplyAdam's kernel forms it: in the variables' type from beta rounded to it. */
  private double kernelOneMinus(double beta) {
    return type == TFloat64.class ? 1 - beta : (double) (1.0f - (float) beta);
  }

  private Operand<T> scalar(Ops s, double v) {
    return s.dtypes.cast(s.constant(v), type);
  }

  private Operand<T> cast(Ops s, Operand<TFloat64> x) {
    return s.dtypes.cast(x, type);
  }
}
