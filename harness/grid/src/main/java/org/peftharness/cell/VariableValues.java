package org.peftharness.cell;

import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Variables' values copied out of a session to the host and back, bit for bit (a stored training, a chosen epoch). */
final class VariableValues {
  private VariableValues() {}

  static Map<String, FloatTensor> fetch(GraphModel<TFloat32> graph, Map<String, Variable<TFloat32>> vars) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
      try (Result r = graph.session().runner().fetch(e.getValue()).run()) {
        out.put(e.getKey(), HostTensors.toHost(r.get(0)));
      }
    }
    return out;
  }

  /** Assigns each value to the variable of its name; the caller has checked names and shapes. */
  static void assign(GraphModel<TFloat32> graph, Map<String, Variable<TFloat32>> vars, Map<String, FloatTensor> values,
      String scope) {
    Ops tf = graph.ops().withSubScope(scope);
    for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
      FloatTensor value = values.get(e.getKey());
      Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(value.shape())));
      Operand<TFloat32> assign = tf.assign(e.getValue(), feed);
      try (TFloat32 t = HostTensors.of(value)) {
        graph.session().runner().feed(feed, t).addTarget(assign).run().close();
      }
    }
  }
}
