package org.peftharness.model;

import java.util.ArrayList;
import java.util.List;
import org.peftharness.methods.graph.LinearSite;

/**
 * The linear maps of a model, from its config alone, in the order and with the names and shapes
 * the graphs declare them (a test holds the two to each other). Used to count parameters and check
 * ranks without loading weights.
 */
public final class LinearSites {
  private LinearSites() {}

  public static List<LinearSite> of(ModelConfig c) {
    List<LinearSite> sites = new ArrayList<>();
    int h = c.hiddenSize();
    int f = c.intermediateSize();
    for (int i = 0; i < c.numLayers(); i++) {
      if (c.family().isEncoder()) {
        String p = "encoder.layer." + i + ".";
        sites.add(new LinearSite(p + "attention.self.query", i, "query", h, h));
        sites.add(new LinearSite(p + "attention.self.key", i, "key", h, h));
        sites.add(new LinearSite(p + "attention.self.value", i, "value", h, h));
        sites.add(new LinearSite(p + "attention.output.dense", i, "dense", h, h));
        sites.add(new LinearSite(p + "intermediate.dense", i, "dense", f, h));
        sites.add(new LinearSite(p + "output.dense", i, "dense", h, f));
      } else {
        String p = "model.layers." + i + ".";
        sites.add(new LinearSite(p + "self_attn.q_proj", i, "q_proj", c.qDim(), h));
        sites.add(new LinearSite(p + "self_attn.k_proj", i, "k_proj", c.kvDim(), h));
        sites.add(new LinearSite(p + "self_attn.v_proj", i, "v_proj", c.kvDim(), h));
        sites.add(new LinearSite(p + "self_attn.o_proj", i, "o_proj", h, c.qDim()));
        sites.add(new LinearSite(p + "mlp.gate_proj", i, "gate_proj", f, h));
        sites.add(new LinearSite(p + "mlp.up_proj", i, "up_proj", f, h));
        sites.add(new LinearSite(p + "mlp.down_proj", i, "down_proj", h, f));
      }
    }
    return sites;
  }

  /** Encoders' linear maps carry a bias; Llama-family ones do not. */
  public static boolean hasBias(ModelConfig c) {
    return c.family().isEncoder();
  }
}
