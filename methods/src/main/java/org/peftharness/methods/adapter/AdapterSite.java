package org.peftharness.methods.adapter;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.Role;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.init.SiteInit;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** One linear map as a method adapted it: its variables by role, scaling, and (after init) its initial tensors. */
public final class AdapterSite {
  private final LinearSite site;
  private final double scaling;
  private final Map<Role, AdapterVariable> variables = new EnumMap<>(Role.class);
  private SiteInit init;
  private FloatTensor loraFaPreconditioner;

  AdapterSite(LinearSite site, double scaling) {
    this.site = site;
    this.scaling = scaling;
  }

  void put(AdapterVariable v) {
    variables.put(v.role(), v);
  }

  void initialized(SiteInit init, FloatTensor preconditioner) {
    this.init = init;
    this.loraFaPreconditioner = preconditioner;
  }

  public LinearSite site() {
    return site;
  }

  public String module() {
    return site.module();
  }

  /** The adapter scaling s of this site. */
  public double scaling() {
    return scaling;
  }

  /** Variables by role: A, B, R (adapter), WEIGHT (and BIAS) of the model, LORAFA_PRECONDITIONER. */
  public Map<Role, AdapterVariable> variables() {
    return Collections.unmodifiableMap(variables);
  }

  public AdapterVariable variable(Role role) {
    return variables.get(role);
  }

  /** The model's weight variable of this site (what gradient estimation differentiates). */
  public Operand<? extends TNumber> weight() {
    return variables.get(Role.WEIGHT).variable();
  }

  /** The tensors the initialisation produced; null before {@link AdapterFactory#initialize}. */
  public SiteInit init() {
    return init;
  }

  /** LoRA-FA optimizer: pinv(A Aᵀ + 1e-8 I) / s² (host copy); null unless that option is on. */
  public FloatTensor loraFaPreconditioner() {
    return loraFaPreconditioner;
  }

  /**
   * LoRA-FA optimizer's gradient correction as a graph op: {@code g̃_B = g_B · P} with P this
   * site's LORAFA_PRECONDITIONER variable (PEFT lorafa.py L149–194). Feed the result to AdamW
   * (eps 1e-6 in PEFT's LoRA-FA optimizer) in place of g_B.
   */
  @SuppressWarnings("unchecked")
  public <T extends TNumber> Operand<T> correctedGradientB(Ops tf, Operand<T> gradB) {
    AdapterVariable p = variables.get(Role.LORAFA_PRECONDITIONER);
    if (p == null) {
      throw new IllegalStateException(module() + " has no LoRA-FA preconditioner (lorafa_optimizer is off)");
    }
    return tf.linalg.matMul(gradB, (Operand<T>) p.variable());
  }

  @Override
  public String toString() {
    return "AdapterSite[" + site.module() + " " + variables.keySet() + "]";
  }
}
