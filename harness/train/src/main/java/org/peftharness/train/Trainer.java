package org.peftharness.train;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Trains chosen variables of a model graph on a loss: gradients of exactly those variables
 * ({@code tf.gradients}, never the frozen ones), gradient accumulation over micro-batches (each
 * micro-batch loss divided by the number in its group, gradients summed in accumulators, as HF
 * Trainer), global-norm clipping, {@link AdamW}, a Hugging Face schedule, seeded data order and
 * dropout. Every run with the same graph, data and config gives the same bits.
 *
 * <p>Seeds: the {@code data-order} stream shuffles micro-batches per epoch (epoch e uses
 * {@code mix(seed + e)}), the {@code dropout} stream gives each micro-batch {@code i} (counted over
 * the whole run) the dropout seed {@code [mix(seed + i), 0]}, and with NEFTune on the {@code neftune}
 * stream gives it its noise seed the same way; all depend only on the position in the run, so a run
 * resumed from a checkpoint continues exactly as an uninterrupted one.
 */
public final class Trainer<T extends TNumber> {
  /** Builds the micro-batches of one epoch (e.g. shuffling examples, then padding each batch). */
  @FunctionalInterface
  public interface EpochBatches {
    List<Batch> batches(int epoch, SplittableRandom dataOrder);
  }

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final GraphModel<T> model;
  private final Operand<T> loss;
  private final TrainConfig config;
  private final SeedStreams seeds;
  private final AdamW<T> optimizer;
  private final Operand<T> lossScale;
  private final AdamW.Update update;
  private final Op accumulate;
  private final Placeholder<TString> checkpointPrefix;
  private final Op save;
  private final Op restore;
  private Operand<T> tokenNormalizer;
  private Consumer<RunMetadata> traceSink;

  /** One group with the config's learning rate and weight decay. */
  public Trainer(GraphModel<T> model, Operand<T> loss, Map<String, Variable<T>> trainable, TrainConfig config) {
    this(model, loss, List.of(new ParamGroup<>("default", trainable, config.learningRate(), config.weightDecay())), config);
  }

  public Trainer(GraphModel<T> model, Operand<T> loss, List<ParamGroup<T>> groups, TrainConfig config) {
    this(model, loss, groups, config, null);
  }

  /** @param gradientTransform see {@link AdamW#build(List, List, Function, BiFunction)}; may be null */
  public Trainer(GraphModel<T> model, Operand<T> loss, List<ParamGroup<T>> groups, TrainConfig config,
      BiFunction<String, Operand<T>, Operand<T>> gradientTransform) {
    this.model = model;
    this.loss = loss;
    this.config = config;
    this.seeds = new SeedStreams(config.seed());
    seeds.seed(SeedStreams.DATA_ORDER);
    seeds.seed(SeedStreams.DROPOUT);
    if (config.neftuneNoiseAlpha() > 0) {
      seeds.seed(SeedStreams.NEFTUNE);
    }
    Set<String> names = new HashSet<>();
    for (ParamGroup<T> g : groups) {
      for (String n : g.variables().keySet()) {
        if (!names.add(n)) {
          throw new IllegalArgumentException("variable '" + n + "' is in two parameter groups");
        }
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("nothing to train: no variables given");
    }
    Class<T> type = model.nn().type;
    Ops tf = model.ops().withSubScope("trainer");
    lossScale = tf.withName("loss_scale").placeholderWithDefault(tf.dtypes.cast(tf.constant(1.0), type), Shape.scalar());
    Operand<T> scaled = tf.math.mul(loss, lossScale);
    optimizer = new AdamW<>(model.ops(), type, groups, config.hyper());
    List<Variable<T>> vars = optimizer.variables();
    Gradients grads = tf.gradients(scaled, vars);
    List<Operand<T>> g = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      Output<?> dy = grads.dy(i);
      if (dy == null || dy.isClosed()) {
        throw new IllegalArgumentException("the loss does not depend on trainable variable '" + optimizer.slots().get(i).name()
            + "' (torch would never update it); leave it out of the trainable set");
      }
      @SuppressWarnings("unchecked")
      Operand<T> typed = (Operand<T>) dy;
      g.add(typed);
    }
    Op lossReady = tf.identity(loss);
    List<Op> inits = new ArrayList<>();
    if (config.gradientAccumulation() > 1) {
      List<Variable<T>> accs = new ArrayList<>();
      List<Op> ready = new ArrayList<>();
      ready.add(lossReady);
      List<Operand<T>> totals = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        Shape shape = vars.get(i).shape();
        Variable<T> acc = tf.withName("grad_acc_" + i).variable(shape, type);
        accs.add(acc);
        inits.add(tf.assign(acc, optimizer.zeros(tf, shape)));
        ready.add(tf.identity(g.get(i)));
        totals.add(tf.math.add(acc, g.get(i)));
      }
      Ops gated = tf.withControlDependencies(ready);
      List<Op> adds = new ArrayList<>();
      for (int i = 0; i < vars.size(); i++) {
        adds.add(gated.assignAdd(accs.get(i), g.get(i)));
      }
      accumulate = tf.withControlDependencies(adds).withName("accumulate").noOp();
      update = optimizer.build(totals, List.of(lossReady), after -> {
        List<Op> zero = new ArrayList<>();
        for (Variable<T> acc : accs) {
          zero.add(after.assign(acc, optimizer.zeros(after, acc.shape())));
        }
        return zero;
      }, gradientTransform);
    } else {
      accumulate = null;
      update = optimizer.build(g, List.of(lossReady), null, gradientTransform);
    }

    // checkpoint of the trainable state: variables, moments, step
    Map<String, Variable<?>> state = checkpointed();
    checkpointPrefix = tf.withName("ckpt_prefix").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    String[] keys = state.keySet().toArray(new String[0]);
    String[] slices = new String[keys.length];
    Arrays.fill(slices, "");
    List<Operand<?>> tensors = new ArrayList<>(state.values());
    save = tf.train.save(checkpointPrefix, tf.constant(UTF_8, keys), tf.constant(UTF_8, slices), tensors);
    List<Class<? extends TType>> dtypes = new ArrayList<>();
    state.values().forEach(v -> dtypes.add(v.type()));
    Restore restored = tf.train.restore(checkpointPrefix, tf.constant(UTF_8, keys), tf.constant(UTF_8, slices), dtypes);
    List<Op> assigns = new ArrayList<>();
    int k = 0;
    for (Variable<?> v : state.values()) {
      assigns.add(assignUnchecked(tf, v, restored.tensors().get(k++)));
    }
    restore = tf.withControlDependencies(assigns).withName("restore").noOp();

    Session s = model.session();
    if (!inits.isEmpty()) {
      Session.Runner r = s.runner();
      inits.forEach(r::addTarget);
      r.run().close();
    }
    optimizer.initialize(s);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Op assignUnchecked(Ops tf, Variable v, Operand value) {
    return tf.assign(v, value);
  }

  private Map<String, Variable<?>> checkpointed() {
    Map<String, Variable<?>> state = new LinkedHashMap<>();
    for (AdamW.Slot<T> s : optimizer.slots()) {
      state.put("param/" + s.name(), s.param());
    }
    state.putAll(optimizer.state());
    state.put("adamw/step", optimizer.step());
    return state;
  }

  /**
   * Averages the loss over all labelled tokens of an accumulation group instead of averaging
   * per-micro-batch means: each micro-batch's summed token loss is divided by the group's total
   * (fed into {@code normalizer}, e.g. {@link CausalLmLoss#normalizer()}), as transformers' Trainer
   * does since 4.46 for models that accept {@code num_items_in_batch} (Llama). The default, without
   * this, is HF's classic rule: each micro-batch mean divided by the number of micro-batches.
   */
  public Trainer<T> averageTokensAcrossMicroBatches(Operand<T> normalizer) {
    this.tokenNormalizer = normalizer;
    return this;
  }

  /**
   * Traces the session run of the next optimizer step with TensorFlow's own step statistics
   * ({@code RunOptions.FULL_TRACE}: every op's device, start and duration) and hands them to
   * {@code sink}; for profiling, since a traced step is slower than an untraced one.
   */
  public void traceNextStep(Consumer<RunMetadata> sink) {
    this.traceSink = sink;
  }

  public AdamW<T> optimizer() {
    return optimizer;
  }

  public TrainConfig config() {
    return config;
  }

  /** The named seed streams of this run; {@link SeedStreams#derivedSeeds()} for provenance. */
  public SeedStreams seeds() {
    return seeds;
  }

  /** Optimizer steps applied so far (read from the graph, so it survives {@link #restore}). */
  public int step() {
    try (Result r = model.session().runner().fetch(optimizer.step()).run()) {
      return Math.toIntExact(((TInt64) r.get(0)).getLong());
    }
  }

  /** Optimizer steps a run over {@code batchesPerEpoch} micro-batches takes. */
  public int totalSteps(int batchesPerEpoch) {
    if (config.maxSteps() > 0) {
      return config.maxSteps();
    }
    return config.epochs() * stepsPerEpoch(batchesPerEpoch);
  }

  private int stepsPerEpoch(int batches) {
    return (batches + config.gradientAccumulation() - 1) / config.gradientAccumulation();
  }

  public Schedule schedule(int batchesPerEpoch) {
    int total = totalSteps(batchesPerEpoch);
    return new Schedule(config.schedule(), Schedule.warmupSteps(config.warmupSteps(), config.warmupRatio(), total), total);
  }

  /** Trains on fixed micro-batches whose order is shuffled per epoch (when the config says so). */
  public TrainResult train(List<Batch> data, TrainListener listener) {
    return train(data, listener, Integer.MAX_VALUE);
  }

  /** As {@link #train(List, TrainListener)}, but stops after optimizer step {@code stopAfter} (to checkpoint and resume later). */
  public TrainResult train(List<Batch> data, TrainListener listener, int stopAfter) {
    List<Batch> fixed = List.copyOf(data);
    return train(fixed.size(), (epoch, rng) -> {
      List<Batch> order = new ArrayList<>(fixed);
      if (config.shuffle()) {
        for (int i = order.size() - 1; i > 0; i--) {
          Collections.swap(order, i, rng.nextInt(i + 1));
        }
      }
      return order;
    }, listener, stopAfter);
  }

  /**
   * Trains from the current step (0, or where {@link #restore} left off) to the end of the run.
   *
   * @param batchesPerEpoch how many micro-batches every epoch has
   */
  public TrainResult train(int batchesPerEpoch, EpochBatches source, TrainListener listener) {
    return train(batchesPerEpoch, source, listener, Integer.MAX_VALUE);
  }

  /** As {@link #train(int, EpochBatches, TrainListener)}, stopping after optimizer step {@code stopAfter}. */
  public TrainResult train(int batchesPerEpoch, EpochBatches source, TrainListener listener, int stopAfter) {
    if (batchesPerEpoch < 1) {
      throw new IllegalArgumentException("no training data");
    }
    int accum = config.gradientAccumulation();
    int spe = stepsPerEpoch(batchesPerEpoch);
    int total = totalSteps(batchesPerEpoch);
    Schedule schedule = schedule(batchesPerEpoch);
    int start = step();
    int end = Math.min(total, stopAfter);
    List<Double> losses = new ArrayList<>();
    List<Double> norms = new ArrayList<>();
    List<Double> lrs = new ArrayList<>();
    long tokens = 0;
    long runStart = System.nanoTime();
    long intervalStart = runStart;
    long intervalTokens = 0;
    double intervalLoss = 0;
    int intervalSteps = 0;
    int cachedEpoch = -1;
    List<Batch> epochBatches = null;
    Session session = model.session();
    List<ParamGroup<T>> groups = optimizer.groups();
    for (int s = start; s < end; s++) {
      int epoch = s / spe;
      if (epoch != cachedEpoch) {
        epochBatches = source.batches(epoch, new SplittableRandom(mix(seeds.seed(SeedStreams.DATA_ORDER) + epoch * GOLDEN)));
        if (epochBatches.size() != batchesPerEpoch) {
          throw new IllegalStateException("epoch " + epoch + " has " + epochBatches.size() + " batches, expected " + batchesPerEpoch);
        }
        cachedEpoch = epoch;
      }
      int j = s % spe;
      List<Batch> group = epochBatches.subList(j * accum, Math.min(batchesPerEpoch, (j + 1) * accum));
      double factor = schedule.factor(s);
      double stepLoss = 0;
      double norm = Double.NaN;
      long groupLabelled = 0;
      for (Batch b : group) {
        groupLabelled += b.labelledTokens();
      }
      for (int k = 0; k < group.size(); k++) {
        boolean last = k == group.size() - 1;
        Batch b = group.get(k);
        List<Tensor> owned = new ArrayList<>();
        try {
          Session.Runner r = session.runner();
          b.feed(r, owned);
          TBool training = TBool.scalarOf(true);
          owned.add(training);
          long micro = (long) s * accum + k;
          TInt64 seed = TInt64.vectorOf(mix(seeds.seed(SeedStreams.DROPOUT) + (micro + 1) * GOLDEN), 0L);
          owned.add(seed);
          r.feed(model.training(), training).feed(model.dropoutSeed(), seed);
          if (config.neftuneNoiseAlpha() > 0) {
            Tensor alpha = scalar(config.neftuneNoiseAlpha());
            owned.add(alpha);
            TInt64 noiseSeed = TInt64.vectorOf(mix(seeds.seed(SeedStreams.NEFTUNE) + (micro + 1) * GOLDEN), 0L);
            owned.add(noiseSeed);
            r.feed(model.neftuneAlpha(), alpha).feed(model.neftuneSeed(), noiseSeed);
          }
          if (tokenNormalizer != null) {
            Tensor count = scalar(Math.max(1, groupLabelled));
            owned.add(count);
            r.feed(tokenNormalizer, count);
          } else if (group.size() > 1) {
            Tensor scale = scalar(1.0 / group.size());
            owned.add(scale);
            r.feed(lossScale, scale);
          }
          r.fetch(loss);
          if (last) {
            for (int gi = 0; gi < groups.size(); gi++) {
              TFloat64 lr = TFloat64.scalarOf(groups.get(gi).learningRate() * factor);
              owned.add(lr);
              r.feed(optimizer.learningRate(gi), lr);
            }
            r.fetch(update.gradNorm()).addTarget(update.train());
          } else {
            r.addTarget(accumulate);
          }
          Consumer<RunMetadata> sink = last ? traceSink : null;
          if (sink != null) {
            traceSink = null;
            r.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
          }
          try (Result res = sink != null ? r.runAndFetchMetadata() : r.run()) {
            if (sink != null) {
              res.getMetadata().ifPresent(sink);
            }
            stepLoss += scalarValue(res.get(0)) / (tokenNormalizer != null ? 1 : group.size());
            if (last) {
              norm = ((TFloat64) res.get(1)).getDouble();
            }
          }
        } finally {
          owned.forEach(Tensor::close);
        }
        tokens += b.tokens();
        intervalTokens += b.tokens();
      }
      losses.add(stepLoss);
      norms.add(norm);
      double lr0 = groups.get(0).learningRate() * factor;
      lrs.add(lr0);
      if (!Double.isFinite(stepLoss) || !Double.isFinite(norm)) {
        String what = !Double.isFinite(stepLoss) ? "loss" : "gradient norm";
        double v = !Double.isFinite(stepLoss) ? stepLoss : norm;
        return result(TrainResult.Status.DIVERGED, "non-finite " + what + " (" + v + ") at step " + (s + 1) + " of " + total,
            s + 1, losses, norms, lrs, tokens, runStart);
      }
      intervalLoss += stepLoss;
      intervalSteps++;
      if ((s + 1) % config.loggingSteps() == 0 || s + 1 == end) {
        long now = System.nanoTime();
        double secs = Math.max((now - intervalStart) / 1e9, 1e-9);
        listener.onLog(new TrainListener.StepLog(s + 1, total, (double) (s + 1) / spe, intervalLoss / intervalSteps, lr0, norm,
            intervalTokens / secs));
        intervalStart = now;
        intervalTokens = 0;
        intervalLoss = 0;
        intervalSteps = 0;
      }
      listener.onStep(s + 1);
    }
    return result(TrainResult.Status.COMPLETED, "", end, losses, norms, lrs, tokens, runStart);
  }

  private TrainResult result(TrainResult.Status status, String reason, int steps, List<Double> losses, List<Double> norms,
      List<Double> lrs, long tokens, long start) {
    return new TrainResult(status, reason, steps, toArray(losses), toArray(norms), toArray(lrs), tokens,
        (System.nanoTime() - start) / 1e9, seeds.derivedSeeds());
  }

  /** Mean loss over batches in evaluation mode (no dropout, no update). */
  public double evaluateLoss(List<Batch> batches) {
    double sum = 0;
    for (Batch b : batches) {
      List<Tensor> owned = new ArrayList<>();
      try {
        Session.Runner r = model.session().runner();
        b.feed(r, owned);
        try (Result res = r.fetch(loss).run()) {
          sum += scalarValue(res.get(0));
        }
      } finally {
        owned.forEach(Tensor::close);
      }
    }
    return sum / batches.size();
  }

  /**
   * Writes the trainable state (variables, AdamW moments, step) as a TensorFlow checkpoint
   * {@code dir/state.*}; frozen weights are not saved (they come from the pretrained checkpoint).
   */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (TString p = TString.scalarOf(dir.resolve("state").toAbsolutePath().toString())) {
      model.session().runner().feed(checkpointPrefix, p).addTarget(save).run().close();
    }
  }

  /** Restores what {@link #save} wrote; training then continues from the saved step. */
  public void restore(Path dir) {
    try (TString p = TString.scalarOf(dir.resolve("state").toAbsolutePath().toString())) {
      model.session().runner().feed(checkpointPrefix, p).addTarget(restore).run().close();
    }
  }

  private Tensor scalar(double v) {
    return model.nn().type == TFloat64.class ? TFloat64.scalarOf(v) : org.tensorflow.types.TFloat32.scalarOf((float) v);
  }

  static double scalarValue(Tensor t) {
    if (t instanceof TFloat64) {
      return ((TFloat64) t).getDouble();
    }
    return ((org.tensorflow.types.TFloat32) t).getFloat();
  }

  private static double[] toArray(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** SplitMix64's finaliser. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
