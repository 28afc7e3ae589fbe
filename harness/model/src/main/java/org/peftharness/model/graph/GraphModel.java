package org.peftharness.model.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.SessionTransfers;
import org.peftharness.methods.adapter.SessionTransfers.Assignment;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.peftharness.model.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * A pretrained model as a TensorFlow graph. Weights are variables named by their PyTorch names
 * and filled from the checkpoint once at start-up through a placeholder (never constants, which
 * would embed gigabytes in the GraphDef). Owns its Graph and Session; close it.
 */
public abstract class GraphModel<T extends TNumber> implements AutoCloseable {
  /**
   * A pretrained tensor held in a variable, with the ops that fill it.
   *
   * @param variable where it is stored: in {@code T}, or in bfloat16 for a frozen weight of a bf16 model
   * @param value the tensor as the graph computes with it, in {@code T} (the variable itself when stored in {@code T})
   */
  public record Parameter<T extends TNumber>(String name, long[] shape, Variable<?> variable, Operand<T> value,
      Placeholder<TFloat32> feed, Op assign) {
    /** The variable an optimizer updates; only a parameter stored in the graph's type has one. */
    @SuppressWarnings("unchecked")
    public Variable<T> trainable() {
      if (variable != value) {
        throw new IllegalStateException(name + " is a frozen weight stored in " + variable.type().getSimpleName()
            + ": a model whose weights train stores them in its own type (build it with a factory that says so)");
      }
      return (Variable<T>) variable;
    }
  }

  protected final ModelConfig config;
  protected final Graph graph;
  protected final Ops tf;
  protected final Nn<T> nn;
  protected final LinearFactory linears;
  private final boolean bf16Storage;
  private final Map<String, Parameter<T>> params = new LinkedHashMap<>();
  private final Map<String, LinearSite> sites = new LinkedHashMap<>();
  private final Map<String, Parameter<T>> extraParams = new LinkedHashMap<>();
  private final Operand<TBool> training;
  private final Operand<TInt64> dropoutSeed;
  private final Operand<T> neftuneAlpha;
  private final Operand<TInt64> neftuneSeed;
  private int dropoutSites;
  private Session session;
  /** The scope of the pretrained weights, opened at the first. */
  private Ops weights;

  /**
   * @param precision BF16: every matrix product in bfloat16 ({@link Nn}); the pretrained tensors are
   *     stored in bfloat16 too ({@code torch_dtype=torch.bfloat16}) unless the factory trains them,
   *     which then keep a {@code T} master copy (HF Trainer's {@code bf16=True} autocast)
   */
  protected GraphModel(ModelConfig config, Class<T> type, LinearFactory linears, Precision precision) {
    this.config = config;
    this.graph = new Graph();
    this.tf = Ops.create(graph);
    this.bf16Storage = precision == Precision.BF16 && !linears.trainsBaseWeights();
    this.nn = new Nn<>(tf, type, precision == Precision.BF16);
    this.linears = linears;
    this.training = tf.withName("training").placeholderWithDefault(tf.constant(false), Shape.scalar());
    this.dropoutSeed = tf.withName("dropout_seed").placeholderWithDefault(tf.constant(new long[] {0L, 0L}), Shape.of(2));
    this.neftuneAlpha = tf.withName("neftune_noise_alpha").placeholderWithDefault(nn.scalar(0.0), Shape.scalar());
    this.neftuneSeed = tf.withName("neftune_seed").placeholderWithDefault(tf.constant(new long[] {0L, 0L}), Shape.of(2));
  }

  /** Ops on this model's graph, for heads, losses and optimizers built on top of it. */
  public Ops ops() {
    return tf;
  }

  /** Scalar bool, default false: dropout is active only where this is fed true. */
  public Operand<TBool> training() {
    return training;
  }

  /**
   * Two int64 seeds, default {0, 0}, for the stateless random ops of every dropout site; site i
   * draws from {@code [seed0, seed1 + i]}, so feeding a fresh seed per micro-batch gives fresh,
   * reproducible masks.
   */
  public Operand<TInt64> dropoutSeed() {
    return dropoutSeed;
  }

  /** Scalar, default 0: NEFTune's alpha; the input embeddings get noise only where it is fed above 0 and {@link #training()} true. */
  public Operand<T> neftuneAlpha() {
    return neftuneAlpha;
  }

  /** Two int64 seeds, default {0, 0}, of NEFTune's stateless uniform noise; feed a fresh one per micro-batch. */
  public Operand<TInt64> neftuneSeed() {
    return neftuneSeed;
  }

  /**
   * NEFTune on the output of the input embedding layer ({@code [B, L, d]}), as transformers'
   * neftune_post_forward_hook (src/transformers/trainer_utils.py; the Trainer hooks it on
   * get_input_embeddings()): in training, {@code dims = L * d}, {@code mag_norm = alpha / sqrt(dims)}
   * (float32 from the int64 product), {@code output + zeros_like(output).uniform_(-mag_norm, mag_norm)};
   * torch draws uniform_ as {@code u * (to - from) + from} with u in [0, 1) (ATen TransformationHelper.h
   * uniform_real). The draw here is a stateless uniform seeded by {@link #neftuneSeed()}, so a run is
   * reproducible; otherwise the embeddings pass unchanged, bit for bit (the random op then draws a
   * single number).
   */
  public Operand<T> neftune(Operand<T> embeddings) {
    Ops n = tf.withSubScope("neftune");
    Operand<TBool> on = n.math.logicalAnd(training, n.math.greater(neftuneAlpha, nn.scalar(0.0)));
    Operand<TInt32> shape = n.shape(embeddings);
    Operand<TInt32> sampleShape = n.select(on, shape, n.onesLike(shape));
    Operand<T> u = n.random.statelessRandomUniform(sampleShape, neftuneSeed, nn.type);
    Operand<TInt64> dims = n.prod(n.slice(n.shape(embeddings, TInt64.class), n.constant(new int[] {1}),
        n.constant(new int[] {2})), n.constant(0));
    Operand<T> magNorm = n.math.div(neftuneAlpha, n.math.sqrt(n.dtypes.cast(dims, nn.type)));
    // torch draws into zeros_like(output): the noise is a constant to the gradient
    Operand<T> noise = n.stopGradient(n.math.add(n.math.mul(u, n.math.sub(magNorm, n.math.neg(magNorm))), n.math.neg(magNorm)));
    return n.select(on, n.math.add(embeddings, noise), embeddings);
  }

  /** How many dropout sites the graph holds (0 when every rate is 0). */
  public int dropoutSites() {
    return dropoutSites;
  }

  /**
   * Inverted dropout as torch.nn.Dropout: in training mode each element is kept with probability
   * {@code 1 - rate} and scaled by {@code 1/(1 - rate)}; otherwise the identity (the random op then
   * draws a single number). A rate of 0 adds no ops.
   */
  public Operand<T> dropout(Operand<T> x, double rate) {
    if (rate <= 0) {
      return x;
    }
    if (rate >= 1) {
      throw new IllegalArgumentException("dropout rate must be below 1, got " + rate);
    }
    int site = dropoutSites++;
    Ops d = tf.withSubScope("dropout" + site);
    Operand<TInt32> shape = d.shape(x);
    Operand<TInt32> sampleShape = d.select(training, shape, d.onesLike(shape));
    Operand<TInt64> seed = d.math.add(dropoutSeed, d.constant(new long[] {0L, site}));
    Operand<T> u = d.random.statelessRandomUniform(sampleShape, seed, nn.type);
    Operand<T> threshold = d.select(training, nn.scalar(rate), nn.scalar(-1.0));
    Operand<T> scale = d.select(training, nn.scalar(1.0 / (1.0 - rate)), nn.scalar(1.0));
    Operand<T> mask = d.math.mul(d.dtypes.cast(d.math.greaterEqual(u, threshold), nn.type), scale);
    return d.math.mul(x, mask);
  }

  /**
   * Declares a parameter that is not part of the pretrained checkpoint (a task head), after the
   * model was built; fill it with {@link #assign}. Not listed in {@link #parameters()}.
   */
  public Parameter<T> addParameter(String name, long... shape) {
    if (params.containsKey(name) || extraParams.containsKey(name)) {
      throw new IllegalStateException("parameter declared twice: " + name);
    }
    Ops scoped = tf.withSubScope("head");
    Variable<T> v = scoped.withName(name).variable(Shape.of(shape), nn.type);
    Placeholder<TFloat32> feed = scoped.withName(name + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Op assign = scoped.withName(name + ".assign").assign(v, nn.cast(feed));
    Parameter<T> p = new Parameter<>(name, shape.clone(), v, v, feed, assign);
    extraParams.put(name, p);
    return p;
  }

  /** Sets a parameter's value from a host tensor. */
  public void assign(Parameter<T> p, FloatTensor value) {
    assign(Map.of(p, value));
  }

  /** Sets parameters' values from host tensors, in as few runs as {@link SessionTransfers} allows. */
  public void assign(Map<Parameter<T>, FloatTensor> values) {
    List<Assignment> assignments = new ArrayList<>();
    values.forEach((p, value) -> {
      if (!Arrays.equals(value.shape(), p.shape())) {
        throw new IllegalArgumentException(p.name() + ": shape " + Arrays.toString(value.shape())
            + " given, " + Arrays.toString(p.shape()) + " declared");
      }
      assignments.add(new Assignment(p.feed(), p.assign(), () -> value));
    });
    SessionTransfers.assign(session(), assignments);
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
  public abstract String[] checkpointPrefixes();

  /** Declares a pretrained tensor; returns its value in {@code T}. */
  protected Operand<T> param(String name, long... shape) {
    if (params.containsKey(name)) {
      throw new IllegalStateException("parameter declared twice: " + name);
    }
    if (weights == null) {
      // one scope for all: every new scope walks the whole graph (see AdamW.zeros)
      weights = tf.withSubScope("weights");
    }
    Ops scoped = weights;
    Placeholder<TFloat32> feed = scoped.withName(name + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Parameter<T> p;
    if (bf16Storage) {
      // the checkpoint's float32 rounded to nearest even, as torch's .to(torch.bfloat16)
      Variable<TBfloat16> v = scoped.withName(name).variable(Shape.of(shape), TBfloat16.class);
      Op assign = scoped.withName(name + ".assign").assign(v, scoped.dtypes.cast(feed, TBfloat16.class));
      p = new Parameter<>(name, shape.clone(), v, nn.viewOfBf16(v), feed, assign);
    } else {
      Variable<T> v = scoped.withName(name).variable(Shape.of(shape), nn.type);
      Op assign = scoped.withName(name + ".assign").assign(v, nn.cast(feed));
      p = new Parameter<>(name, shape.clone(), v, v, feed, assign);
    }
    params.put(name, p);
    return p.value();
  }

  protected Operand<T> param(TensorSpec tensor) {
    return param(tensor.name(), tensor.shape());
  }

  /** Declares the spec's {@code .weight} (and {@code .bias}) and builds the linear map through the factory. */
  protected Operand<T> linear(LinearSpec spec, int layer, Operand<T> x) {
    LinearSite site = spec.site(layer);
    sites.put(site.module(), site);
    Operand<T> w = param(site.weightName(), spec.out(), spec.in());
    Operand<T> b = spec.bias() ? param(site.biasName(), spec.out()) : null;
    return linears.build(site, nn, x, w, params.get(site.weightName()).variable(), b);
  }

  /** Fills every parameter from the checkpoint, checking names and shapes; opens the session. */
  public void load(Weights weights) {
    List<Assignment> assignments = new ArrayList<>();
    for (Parameter<T> p : params.values()) {
      String stored = weights.resolve(p.name(), checkpointPrefixes());
      if (stored == null) {
        throw new InvalidInputException(weights.source(), 0, "tensor '" + p.name() + "'",
            "missing from the checkpoint (a " + config.modelType() + " model needs it)");
      }
      assignments.add(new Assignment(p.feed(), p.assign(), () -> {
        FloatTensor value = weights.read(stored);
        if (!Arrays.equals(value.shape(), p.shape())) {
          throw new InvalidInputException(weights.source(), 0, "tensor '" + stored + "'",
              "has shape " + Arrays.toString(value.shape()) + " but config.json implies " + Arrays.toString(p.shape()));
        }
        return value;
      }));
    }
    SessionTransfers.assign(session(), assignments);
  }

  /**
   * Grappler, TensorFlow's graph rewriter, off: it re-optimises the graph for every new run
   * signature (0.6 to 0.9 s each on MiniLM's training graph, at a cell's first step, its first
   * evaluation, its pre-pass), and measured here it bought no speed: MiniLM's training step took
   * 270 and 274 ms with it against 270 and 259 ms without (LoRA r8: 212, 209 against 195, 180;
   * bf16 within noise), evaluation and cached generation within noise. Without it the graph runs
   * as built, which also changes some float32 roundings (the arithmetic optimizer reorders sums):
   * training losses move in the last bits, the quick start's accuracies do not. oneDNN's own
   * rewrite to {@code _MklMatMul} is a graph pass, not grappler, and stays.
   */
  private static final ConfigProto SESSION_CONFIG = ConfigProto.newBuilder()
      .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
      .build();

  public Session session() {
    if (session == null) {
      session = new Session(graph, SESSION_CONFIG);
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
