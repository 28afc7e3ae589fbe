package org.peftharness.model.graph;

import org.peftharness.core.tensor.FloatTensor;

/** A pretrained tensor outside the linear maps and norms (an embedding table, an untied output head). */
public record TensorSpec(String name, long... shape) {

  public long parameters() {
    return FloatTensor.elementCount(shape);
  }
}
