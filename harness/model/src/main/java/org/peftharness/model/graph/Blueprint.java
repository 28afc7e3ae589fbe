package org.peftharness.model.graph;

import java.util.ArrayList;
import java.util.List;
import org.peftharness.methods.graph.LinearSite;

/**
 * Every pretrained tensor of a model, from config.json alone: the description a graph builder
 * declares its variables from, so the linear sites and the parameter count derived here are the
 * graph's by construction rather than a second list kept in step.
 */
public interface Blueprint {
  /** Embedding tables and output-side tensors (final norm excluded: see {@link #outsideNorms()}). */
  List<TensorSpec> outsideTensors();

  /** Norms outside the layers (the embeddings' LayerNorm, a decoder's final norm). */
  List<NormSpec> outsideNorms();

  List<? extends LayerSpec> layers();

  /** The linear maps a method may adapt, in the order the graph builds them. */
  default List<LinearSite> linearSites() {
    List<LinearSite> sites = new ArrayList<>();
    for (LayerSpec layer : layers()) {
      layer.linears().forEach(l -> sites.add(l.site(layer.index())));
    }
    return sites;
  }

  /** Every pretrained parameter (a tied output head counted once). */
  default long parameterCount() {
    long total = 0;
    for (TensorSpec t : outsideTensors()) {
      total += t.parameters();
    }
    for (NormSpec n : outsideNorms()) {
      total += n.parameters();
    }
    for (LayerSpec layer : layers()) {
      for (LinearSpec l : layer.linears()) {
        total += l.parameters();
      }
      for (NormSpec n : layer.norms()) {
        total += n.parameters();
      }
    }
    return total;
  }
}
