package org.peftharness.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.Weights;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel.Parameter;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A sequence classification or regression head on an encoder, as transformers builds it:
 * <ul>
 *   <li>BERT ({@code BertForSequenceClassification}): pooler {@code tanh(dense(h[:, 0]))} (weights
 *       {@code pooler.dense.*} from the checkpoint when it has them, else fresh), dropout,
 *       {@code classifier} linear;</li>
 *   <li>RoBERTa ({@code RobertaClassificationHead}): dropout, {@code classifier.dense} + tanh,
 *       dropout, {@code classifier.out_proj}.</li>
 * </ul>
 * Dropout uses {@code classifier_dropout} if given, else the model's hidden dropout. Fresh weights
 * follow HF {@code _init_weights}: normal(0, initializer_range), bias 0, drawn from the seeded
 * {@code init} stream (sub-stream {@code init/head/<name>}). With one label the head is a
 * regression (MSE, float labels), else single-label classification (cross-entropy, int labels).
 */
public final class SequenceClassifier<T extends TNumber> {
  private final EncoderModel<T> model;
  private final int numLabels;
  private final Map<String, Parameter<T>> params = new LinkedHashMap<>();
  private final List<String> fresh = new ArrayList<>();
  /** The head's first values, assigned together once the head is built (one session run, not one per tensor), then dropped. */
  private final Map<Parameter<T>, FloatTensor> initial = new LinkedHashMap<>();
  private final Operand<T> logits;
  private final Operand<T> loss;
  private final Placeholder<TInt32> classLabels;
  private final Placeholder<TFloat32> regressionLabels;

  private SequenceClassifier(EncoderModel<T> model, Weights weights, int numLabels, SeedStreams seeds,
      double initializerRange, Double classifierDropout) {
    if (numLabels < 1) {
      throw new IllegalArgumentException("numLabels must be >= 1, got " + numLabels);
    }
    this.model = model;
    this.numLabels = numLabels;
    Ops tf = model.ops().withSubScope("classifier_head");
    Nn<T> nn = new Nn<>(tf, model.nn().type);
    int h = model.config().hiddenSize();
    double drop = classifierDropout != null ? classifierDropout : model.config().hiddenDropout();
    Operand<T> first = tf.gather(model.hidden(), tf.constant(0), tf.constant(1)); // [B, H]
    Operand<T> x;
    if (model.config().architecture().classifierHead().orElseThrow() == ClassifierHead.ROBERTA_DENSE) {
      x = model.dropout(first, drop);
      x = tf.math.tanh(nn.linear(x, declare("classifier.dense.weight", weights, seeds, initializerRange, h, h),
          declare("classifier.dense.bias", weights, seeds, initializerRange, h)));
      x = model.dropout(x, drop);
      x = nn.linear(x, declare("classifier.out_proj.weight", weights, seeds, initializerRange, numLabels, h),
          declare("classifier.out_proj.bias", weights, seeds, initializerRange, numLabels));
    } else {
      x = tf.math.tanh(nn.linear(first, declare("pooler.dense.weight", weights, seeds, initializerRange, h, h),
          declare("pooler.dense.bias", weights, seeds, initializerRange, h)));
      x = model.dropout(x, drop);
      x = nn.linear(x, declare("classifier.weight", weights, seeds, initializerRange, numLabels, h),
          declare("classifier.bias", weights, seeds, initializerRange, numLabels));
    }
    model.assign(initial);
    initial.clear();
    logits = tf.withName("logits").identity(x);
    if (numLabels == 1) {
      classLabels = null;
      regressionLabels = tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Operand<T> diff = tf.math.sub(tf.reshape(logits, nn.ints(-1)), nn.cast(regressionLabels));
      loss = tf.withName("loss").math.mean(tf.math.square(diff), nn.ints(0));
    } else {
      regressionLabels = null;
      classLabels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      Operand<T> onehot = tf.oneHot(classLabels, tf.constant(numLabels), nn.scalar(1.0), nn.scalar(0.0));
      Operand<T> nll = tf.math.neg(tf.reduceSum(tf.math.mul(onehot, tf.nn.logSoftmax(logits)), nn.ints(1)));
      loss = tf.withName("loss").math.mean(nll, nn.ints(0));
    }
  }

  /**
   * Adds the head to an encoder whose session is open (weights loaded).
   *
   * @param weights the model's checkpoint (pooler and classifier weights are taken from it when present), or null
   * @param classifierDropout HF {@code classifier_dropout}, or null for the hidden dropout
   */
  public static <T extends TNumber> SequenceClassifier<T> attach(EncoderModel<T> model, Weights weights, int numLabels,
      SeedStreams seeds, double initializerRange, Double classifierDropout) {
    return new SequenceClassifier<>(model, weights, numLabels, seeds, initializerRange, classifierDropout);
  }

  /** Whether the checkpoint holds this head tensor (else a run draws it fresh and trains it with the adapter). */
  public static boolean inCheckpoint(Weights weights, String name) {
    return weights.resolve(name, EncoderModel.taskModelPrefixes()) != null;
  }

  public static <T extends TNumber> SequenceClassifier<T> attach(EncoderModel<T> model, Weights weights, int numLabels,
      SeedStreams seeds) {
    return attach(model, weights, numLabels, seeds, 0.02, null);
  }

  private Variable<T> declare(String name, Weights weights, SeedStreams seeds, double std, long... shape) {
    Parameter<T> p = model.addParameter(name, shape);
    params.put(name, p);
    String stored = weights == null ? null : weights.resolve(name, EncoderModel.taskModelPrefixes());
    FloatTensor value;
    if (stored != null) {
      value = weights.read(stored);
    } else {
      fresh.add(name);
      float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
      if (!name.endsWith(".bias")) {
        SplittableRandom rng = seeds.random(SeedStreams.INIT, "head/" + name);
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * std);
        }
      }
      value = new FloatTensor(shape, v);
    }
    initial.put(p, value);
    return p.trainable();
  }

  public int numLabels() {
    return numLabels;
  }

  public boolean isRegression() {
    return numLabels == 1;
  }

  /** The head's variables by HF name (for the optimizer and for saving under PEFT's modules_to_save). */
  public Map<String, Variable<T>> variables() {
    Map<String, Variable<T>> out = new LinkedHashMap<>();
    params.forEach((k, p) -> out.put(k, p.trainable()));
    return out;
  }

  /** Names of the head tensors that were freshly initialised (not found in the checkpoint). */
  public List<String> freshlyInitialised() {
    return Collections.unmodifiableList(fresh);
  }

  /**
   * The head tensors an adapter method trains (PEFT's {@code modules_to_save}): the classifier,
   * and every other head tensor the checkpoint lacks (the pooler of a checkpoint saved without
   * one, such as the ONNX MiniLM). A random pooler left frozen would be one transformers cannot
   * redraw, so the exported adapter could not rebuild the evaluated model; a pooler that comes
   * from the checkpoint stays frozen, as it does under PEFT (peft/utils/other.py
   * ModulesToSaveWrapper wraps only the modules named).
   */
  public Map<String, Variable<T>> trainedWithAdapter() {
    Map<String, Variable<T>> out = new LinkedHashMap<>();
    params.forEach((k, p) -> {
      if (k.startsWith("classifier.") || fresh.contains(k)) {
        out.put(k, p.trainable());
      }
    });
    return out;
  }

  /** Elements of every head tensor, trained or not. */
  public long parameterCount() {
    long n = 0;
    for (Parameter<T> p : params.values()) {
      n += FloatTensor.elementCount(p.shape());
    }
    return n;
  }

  /** {@code [B, numLabels]}. */
  public Operand<T> logits() {
    return logits;
  }

  public Operand<T> loss() {
    return loss;
  }

  /** A right-padded micro-batch with class labels (classification). */
  public Batch batch(List<int[]> ids, int[] labels) {
    if (isRegression()) {
      throw new IllegalStateException("a regression head takes float labels");
    }
    return batch(ids, labels, null);
  }

  /** A right-padded micro-batch with float targets (regression). */
  public Batch batch(List<int[]> ids, float[] targets) {
    if (!isRegression()) {
      throw new IllegalStateException("a classification head takes int labels");
    }
    return batch(ids, null, targets);
  }

  /**
   * A right-padded micro-batch of sentence pairs or single sentences with their token type ids
   * (segment B = 1 in BERT); {@code labels} for classification or {@code targets} for regression,
   * or neither for {@link #predict}.
   */
  public Batch batch(List<int[]> ids, List<int[]> typeIds, int[] labels, float[] targets) {
    return batch(ids, labels, targets, Padding.rightFill(typeIds, 0));
  }

  /** A right-padded micro-batch without labels, for {@link #predict}. */
  public Batch inputs(List<int[]> ids) {
    return batch(ids, null, null);
  }

  private Batch batch(List<int[]> seqs, int[] labels, float[] targets) {
    return batch(seqs, labels, targets, null);
  }

  private Batch batch(List<int[]> seqs, int[] labels, float[] targets, int[][] typeRows) {
    Padding.Padded p = Padding.right(seqs, Math.max(model.config().padTokenId(), 0));
    int n = seqs.size();
    if ((labels != null && labels.length != n) || (targets != null && targets.length != n)) {
      throw new IllegalArgumentException(n + " sequences but a different number of labels");
    }
    int[][] types = typeRows != null ? typeRows : new int[n][p.length()];
    long tokens = p.tokens();
    return new Batch() {
      @Override
      public void feed(Session.Runner runner, List<Tensor> owned) {
        TInt32 i = HostTensors.ints(p.ids());
        TInt32 t = HostTensors.ints(types);
        TInt32 m = HostTensors.ints(p.mask());
        owned.add(i);
        owned.add(t);
        owned.add(m);
        runner.feed(model.inputIds(), i).feed(model.tokenTypeIds(), t).feed(model.attentionMask(), m);
        if (labels != null) {
          TInt32 l = TInt32.vectorOf(labels);
          owned.add(l);
          runner.feed(classLabels, l);
        }
        if (targets != null) {
          TFloat32 l = TFloat32.tensorOf(Shape.of(targets.length), DataBuffers.of(targets, true, false));
          owned.add(l);
          runner.feed(regressionLabels, l);
        }
      }

      @Override
      public long tokens() {
        return tokens;
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  /** Logits {@code [B, numLabels]} in evaluation mode (no dropout). */
  public FloatTensor predict(Batch batch) {
    List<Tensor> owned = new ArrayList<>();
    try {
      Session.Runner r = model.session().runner();
      batch.feed(r, owned);
      try (Result res = r.fetch(logits).run()) {
        return HostTensors.toHost(res.get(0));
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }
}
