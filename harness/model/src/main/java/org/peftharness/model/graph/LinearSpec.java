package org.peftharness.model.graph;

import org.peftharness.methods.graph.LinearSite;

/**
 * One linear map of a layer as the checkpoint stores it: module path, the short name PEFT's
 * target modules match, PyTorch's {@code [out, in]} shape, and whether it has a bias. The graph
 * builder declares exactly these, so sites and parameter counts read from the same record.
 */
public record LinearSpec(String module, String shortName, long out, long in, boolean bias) {

  public LinearSite site(int layer) {
    return new LinearSite(module, layer, shortName, out, in);
  }

  public long parameters() {
    return out * in + (bias ? out : 0);
  }
}
