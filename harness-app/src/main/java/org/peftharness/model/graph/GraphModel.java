package org.peftharness.model.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * A pretrained model as a TensorFlow graph. Weights are variables named by their PyTorch names
 * and filled from the checkpoint once at start-up through a placeholder (never constants, which
 * would embed gigabytes in the GraphDef). Owns its Graph and Session; close it.
 */
public abstract class GraphModel<T extends TNumber> implements AutoCloseable {
  /** A pretrained tensor held in a variable, with the ops that fill it. */
  public record Parameter<T extends TNumber>(String name, long[] shape, Variable<T> variable,
      Placeholder<TFloat32> feed, Op assign) {}

  protected final ModelConfig config;
  protected final Graph graph;
  protected final Ops tf;
  protected final Nn<T> nn;
  protected final LinearFactory linears;
  private final Map<String, Parameter<T>> params = new LinkedHashMap<>();
  private final Map<String, LinearSite> sites = new LinkedHashMap<>();
  private Session session;

  protected GraphModel(ModelConfig config, Class<T> type, LinearFactory linears) {
    this.config = config;
    this.graph = new Graph();
    this.tf = Ops.create(graph);
    this.nn = new Nn<>(tf, type);
    this.linears = linears;
  }

  public ModelConfig config() {
    return config;
  }

  public Graph graph() {
    return graph;
  }

  public Nn<T> nn() {
    return nn;
  }

  /** The pretrained parameters in declaration order. */
  public Map<String, Parameter<T>> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /** The linear maps a method may adapt, by module path. */
  public Map<String, LinearSite> linearSites() {
    return Collections.unmodifiableMap(sites);
  }

  /** Prefixes a checkpoint of this family may put before the bare model's names. */
  protected abstract String[] checkpointPrefixes();

  protected Variable<T> param(String name, long... shape) {
    if (params.containsKey(name)) {
      throw new IllegalStateException("parameter declared twice: " + name);
    }
    Ops scoped = tf.withSubScope("weights");
    Variable<T> v = scoped.withName(name).variable(Shape.of(shape), nn.type);
    Placeholder<TFloat32> feed = scoped.withName(name + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Op assign = scoped.withName(name + ".assign").assign(v, nn.cast(feed));
    params.put(name, new Parameter<>(name, shape.clone(), v, feed, assign));
    return v;
  }

  /** Declares {@code module.weight} (and {@code module.bias}) and builds the linear map through the factory. */
  protected Operand<T> linear(String module, int layer, String shortName, Operand<T> x, long out, long in, boolean bias) {
    LinearSite site = new LinearSite(module, layer, shortName, out, in);
    sites.put(module, site);
    Variable<T> w = param(site.weightName(), out, in);
    Variable<T> b = bias ? param(site.biasName(), out) : null;
    return linears.build(site, nn, x, w, b);
  }

  /** Fills every parameter from the checkpoint, checking names and shapes; opens the session. */
  public void load(Weights weights) {
    Session s = session();
    for (Parameter<T> p : params.values()) {
      String stored = weights.resolve(p.name(), checkpointPrefixes());
      if (stored == null) {
        throw new InvalidInputException(weights.source(), 0, "tensor '" + p.name() + "'",
            "missing from the checkpoint (a " + config.modelType() + " model needs it)");
      }
      FloatTensor value = weights.read(stored);
      if (!Arrays.equals(value.shape(), p.shape())) {
        throw new InvalidInputException(weights.source(), 0, "tensor '" + stored + "'",
            "has shape " + Arrays.toString(value.shape()) + " but config.json implies " + Arrays.toString(p.shape()));
      }
      try (TFloat32 t = HostTensors.of(value)) {
        s.runner().feed(p.feed(), t).addTarget(p.assign()).run().close();
      }
    }
  }

  public Session session() {
    if (session == null) {
      session = new Session(graph);
    }
    return session;
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
