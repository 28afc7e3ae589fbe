package org.peftharness.methods.adapter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.methods.Role;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.init.SiteInit;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** One linear map as a method adapted it: its variables by role and (after init) its initial tensors. */
public final class AdapterSite {
  private final LinearSite site;
  private final Map<Role, AdapterVariable> variables = new LinkedHashMap<>();
  private SiteInit init;
  private Operand<? extends TNumber> weightValue;
  private Operand<?> weightAsMultiplied;

  AdapterSite(LinearSite site) {
    this.site = site;
  }

  void put(AdapterVariable v) {
    if (variables.putIfAbsent(v.role(), v) != null) {
      throw new IllegalStateException(site.module() + " declares role " + v.role() + " twice");
    }
  }

  void weight(Operand<? extends TNumber> value, Operand<?> asMultiplied) {
    this.weightValue = value;
    this.weightAsMultiplied = asMultiplied;
  }

  void initialized(SiteInit init) {
    this.init = init;
  }

  public LinearSite site() {
    return site;
  }

  public String module() {
    return site.module();
  }

  /** Variables by role, in the order the method declared them: the adapter's own and the model's WEIGHT (and BIAS). */
  public Map<Role, AdapterVariable> variables() {
    return Collections.unmodifiableMap(variables);
  }

  public AdapterVariable variable(Role role) {
    return variables.get(role);
  }

  /**
   * The model's weight of this site as the graph computes with it, in the graph's type (what
   * gradient estimation differentiates and initialisation reads; in a bf16 model, the float view of
   * the bfloat16 variable, so gradients stay in float32).
   */
  public Operand<? extends TNumber> weight() {
    return weightValue;
  }

  /**
   * The weight as the site's product consumes it, what a gradient with respect to the weight must
   * be taken of: {@link #weight()} itself, or in a bf16 model the bfloat16 variable the product
   * reads directly (so that gradient is bfloat16, as torch's {@code .grad} of a bf16 parameter is).
   */
  public Operand<?> weightAsMultiplied() {
    return weightAsMultiplied;
  }

  /** The tensors the initialisation produced; null before {@link AdapterFactory#initialize}. */
  public SiteInit init() {
    return init;
  }

  @Override
  public String toString() {
    return "AdapterSite[" + site.module() + " " + variables.keySet() + "]";
  }
}
