package org.peftharness.methods;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A fine-tuning method: three choices behind one name.
 * <ul>
 *   <li>parametrisation: which variables exist per adapted linear map and how its output is formed
 *       ({@link Parametrisation});</li>
 *   <li>initialisation: what the variables start as, possibly from an estimated gradient of W0
 *       ({@link GradientRule}), and whether the frozen base becomes a residual ({@link #replacesBase()});</li>
 *   <li>trainability: which variables the optimizer updates ({@link #trainable()}).</li>
 * </ul>
 * Instances are immutable and registered by name in {@link MethodRegistry}.
 */
public final class Method {
  /** How an adapted linear map computes its output. */
  public enum Parametrisation {
    /** No adapter: {@code y = x Wᵀ + b} with W itself trained. */
    FULL,
    /** {@code y = x Wᵀ + b + s·(dropout(x) Aᵀ) Bᵀ}. */
    LOW_RANK,
    /** {@code y = x Wᵀ + b + s·((dropout(x) Aᵀ) Rᵀ) Bᵀ}. */
    LATENT
  }

  /** Whether and how the method needs an estimated gradient of every target W0 before it exists. */
  public enum GradientRule {
    NONE,
    /**
     * LoRA-GA: mean of the per-batch gradients of the batch-mean loss, over the first
     * {@code samples} training examples in order (no shuffle).
     */
    AVERAGED,
    /**
     * LoRA-SB: sum over shuffled batches of the gradients of (batch-mean loss / batch size); the
     * method then takes {@code -eta_eff · sign(sum)} as its update estimate.
     */
    SUMMED
  }

  private final String name;
  private final String description;
  private final Parametrisation parametrisation;
  private final Set<Role> trainable;
  private final boolean replacesBase;
  private final boolean svdBased;
  private final GradientRule gradientRule;

  Method(String name, String description, Parametrisation parametrisation, Set<Role> trainable,
      boolean replacesBase, boolean svdBased, GradientRule gradientRule) {
    this.name = name;
    this.description = description;
    this.parametrisation = parametrisation;
    this.trainable = Collections.unmodifiableSet(EnumSet.copyOf(trainable));
    this.replacesBase = replacesBase;
    this.svdBased = svdBased;
    this.gradientRule = gradientRule;
  }

  public String name() {
    return name;
  }

  /** One line for {@code harness ls methods}. */
  public String description() {
    return description;
  }

  public Parametrisation parametrisation() {
    return parametrisation;
  }

  /** The roles whose variables the optimizer updates. */
  public Set<Role> trainable() {
    return trainable;
  }

  public boolean isTrainable(Role role) {
    return trainable.contains(role);
  }

  /** Full fine-tuning: every model parameter is trained and no adapter exists. */
  public boolean isFull() {
    return parametrisation == Parametrisation.FULL;
  }

  /** PiSSA, LoRA-GA: the frozen base of an adapted map becomes W_res = W0 − s·B0·A0. */
  public boolean replacesBase() {
    return replacesBase;
  }

  /** The initialisation takes an SVD (so rank is bounded by the matrix shape). */
  public boolean svdBased() {
    return svdBased;
  }

  public GradientRule gradientRule() {
    return gradientRule;
  }

  public boolean needsGradientEstimate() {
    return gradientRule != GradientRule.NONE;
  }

  /** The roles an adapted map has (WEIGHT/BIAS are the model's own). */
  public Set<Role> adapterRoles() {
    switch (parametrisation) {
      case LOW_RANK:
        return EnumSet.of(Role.A, Role.B);
      case LATENT:
        return EnumSet.of(Role.A, Role.B, Role.R);
      default:
        return EnumSet.noneOf(Role.class);
    }
  }

  /** Trainable parameters of one adapted m×n matrix at rank r (bias counted for full FT only). */
  public long trainablePerMatrix(long m, long n, int r, boolean bias) {
    long total = 0;
    for (Role role : trainable) {
      switch (role) {
        case A: total += (long) r * n; break;
        case B: total += m * r; break;
        case R: total += (long) r * r; break;
        case WEIGHT: total += m * n; break;
        case BIAS: total += bias ? m : 0; break;
        default: break;
      }
    }
    return total;
  }

  /** The per-matrix count as text: {@code r(m+n)}, {@code r*m}, {@code r^2}, {@code m*n (+ m bias)}. */
  public String trainableFormula() {
    if (isFull()) {
      return "m*n (+ m bias)";
    }
    if (trainable.equals(EnumSet.of(Role.A, Role.B))) {
      return "r(m+n)";
    }
    if (trainable.equals(EnumSet.of(Role.B))) {
      return "r*m";
    }
    if (trainable.equals(EnumSet.of(Role.R))) {
      return "r^2";
    }
    return trainable.toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
