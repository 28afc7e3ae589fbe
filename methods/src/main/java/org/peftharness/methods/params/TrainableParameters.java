package org.peftharness.methods.params;

import java.util.List;
import java.util.function.Predicate;
import org.peftharness.methods.Method;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.TargetModules;
import org.peftharness.methods.graph.LinearSite;

/**
 * The trainable-parameter formula of a method summed over a model's linear sites: per targeted
 * m×n matrix {@code r(m+n)} (LoRA, rsLoRA, PiSSA, LoRA-GA), {@code r*m} (LoRA-FA, B only),
 * {@code r^2} (LoRA-XS, LoRA-SB), {@code m*n (+ m bias)} (full FT, every linear site).
 */
public final class TrainableParameters {
  private TrainableParameters() {}

  /** The formula's text, e.g. {@code r(m+n)}. */
  public static String formula(Method m) {
    return m.trainableFormula();
  }

  public static long perMatrix(Method m, long out, long in, int rank, boolean bias) {
    return m.trainablePerMatrix(out, in, rank, bias);
  }

  /**
   * Sum over the sites the method adapts (the options' targets, else {@code defaultTargets}; full
   * FT: all sites). {@code hasBias} tells which sites carry a bias (counted for full FT only).
   */
  public static long count(MethodOptions o, List<String> defaultTargets, List<LinearSite> sites, Predicate<LinearSite> hasBias) {
    List<String> targets = o.targetModules() != null ? o.targetModules() : defaultTargets;
    long total = 0;
    for (LinearSite s : sites) {
      if (o.method().isFull() || TargetModules.matches(s.module(), targets)) {
        total += o.method().trainablePerMatrix(s.outFeatures(), s.inFeatures(), o.rank(), hasBias.test(s));
      }
    }
    return total;
  }
}
