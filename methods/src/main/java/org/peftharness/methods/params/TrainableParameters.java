package org.peftharness.methods.params;

import java.util.List;
import java.util.function.Predicate;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.graph.LinearSite;

/** A method's trainable-parameter formula summed over a model's linear sites. */
public final class TrainableParameters {
  private TrainableParameters() {}

  /**
   * Sum over the sites the method adapts (the options' targets, else {@code defaultTargets}; every
   * site when it trains the whole model). {@code hasBias} tells which sites carry a bias.
   */
  public static long count(MethodConfig<?> o, List<String> defaultTargets, List<LinearSite> sites, Predicate<LinearSite> hasBias) {
    long total = 0;
    for (LinearSite s : sites) {
      if (o.adapts(s.module(), defaultTargets)) {
        total += o.trainablePerMatrix(s.outFeatures(), s.inFeatures(), hasBias.test(s));
      }
    }
    return total;
  }
}
