package org.peftharness.cell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.SessionTransfers;
import org.peftharness.methods.adapter.SessionTransfers.Assignment;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
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
    Ops tf = graph.ops().withSubScope("fetch_values");
    List<Operand<?>> operands = new ArrayList<>();
    for (Variable<?> v : vars.values()) {
      operands.add(v.type() == TFloat32.class ? v : tf.dtypes.cast(v, TFloat32.class));
    }
    List<FloatTensor> values = SessionTransfers.fetch(graph.session(), operands);
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    int i = 0;
    for (String name : vars.keySet()) {
      out.put(name, values.get(i++));
    }
    return out;
  }

  /** Assigns each value to the variable of its name; the caller has checked names and shapes. */
  static void assign(GraphModel<TFloat32> graph, Map<String, ? extends Variable<?>> vars, Map<String, FloatTensor> values,
      String scope) {
    Ops tf = graph.ops().withSubScope(scope);
    List<Assignment> assignments = new ArrayList<>();
    for (Map.Entry<String, ? extends Variable<?>> e : vars.entrySet()) {
      FloatTensor value = values.get(e.getKey());
      Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(value.shape())));
      assignments.add(new Assignment(feed, assignCast(tf, e.getValue(), feed), () -> value));
    }
    SessionTransfers.assign(graph.session(), assignments);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Op assignCast(Ops tf, Variable v, Operand<TFloat32> value) {
    return tf.assign(v, v.type() == TFloat32.class ? value : tf.dtypes.cast(value, v.type()));
  }
}
