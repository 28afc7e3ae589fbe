package org.peftharness.model.graph;

import java.util.List;

/** The tensors of one transformer layer, in the order the builder declares them. */
public interface LayerSpec {
  int index();

  List<LinearSpec> linears();

  List<NormSpec> norms();
}
