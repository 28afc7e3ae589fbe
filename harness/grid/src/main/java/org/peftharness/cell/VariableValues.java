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

/**
 * Variables' values copied out of a session to the host and back, bit for bit (a stored training, a
 * chosen epoch). A variable stored in bfloat16 (a bf16 model's residual weight) travels as float32,
 * which holds every bfloat16 value exactly.
 */
final class VariableValues {
  private VariableValues() {}

  static Map<String, FloatTensor> fetch(GraphModel<TFloat32> graph, Map<String, ? extends Variable<?>> vars) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    Ops tf = graph.ops().withSubScope("fetch_values");
    for (Map.Entry<String, ? extends Variable<?>> e : vars.entrySet()) {
      Operand<?> v = e.getValue().type() == TFloat32.class ? e.getValue() : tf.dtypes.cast(e.getValue(), TFloat32.class);
      try (Result r = graph.session().runner().fetch(v).run()) {
        out.put(e.getKey(), HostTensors.toHost(r.get(0)));
      }
    }
    return out;
  }

  /** Assigns each value to the variable of its name; the caller has checked names and shapes. */
  static void assign(GraphModel<TFloat32> graph, Map<String, ? extends Variable<?>> vars, Map<String, FloatTensor> values,
      String scope) {
    Ops tf = graph.ops().withSubScope(scope);
    for (Map.Entry<String, ? extends Variable<?>> e : vars.entrySet()) {
      FloatTensor value = values.get(e.getKey());
      Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(value.shape())));
      Operand<?> assign = assignCast(tf, e.getValue(), feed);
      try (TFloat32 t = HostTensors.of(value)) {
        graph.session().runner().feed(feed, t).addTarget(assign).run().close();
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<?> assignCast(Ops tf, Variable v, Operand<TFloat32> value) {
    return tf.assign(v, v.type() == TFloat32.class ? value : tf.dtypes.cast(value, v.type()));
  }
}
