package org.peftharness.model.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A decoder (Llama, Mistral, Qwen2, Gemma, Gemma-2) as transformers' *ForCausalLM computes it:
 * pre-RMSNorm blocks of causal grouped-query attention with rotary positions and a gated MLP, a
 * final RMSNorm, and an output head that is either its own matrix or the tied embedding. What
 * differs between the families (norm weighting, embedding scale, biases, sandwich norms, score
 * scale and soft caps, sliding windows) is read from the {@link DecoderBlueprint}.
 * Positions count attended tokens, so left-padded prompts get the positions transformers gives.
 *
 * <p>Every layer also takes the keys and values of earlier tokens ({@code past_key.i},
 * {@code past_value.i}, {@code [B, kvHeads, P, headDim]}, rotated; empty by default) and returns
 * them extended by the new tokens ({@link #presentKeys()}); {@code attention_mask} then covers the
 * past and the new tokens, {@code [B, P+T]}. That is transformers' key/value cache: one graph
 * serves training, prefill and one-token decoding steps.
 *
 * <p>A sliding layer masks keys more than its window behind the query by their index in the
 * (left-padded) sequence, as transformers' masking_utils.py does with cache positions; the cache
 * keeps every key and the mask hides the old ones, so cached decoding equals recomputation.
 */
public final class DecoderModel<T extends TNumber> extends GraphModel<T> {
  private final DecoderBlueprint blueprint;
  private final Placeholder<TInt32> inputIds;
  private final Placeholder<TInt32> attentionMask;
  private Operand<T> hidden;
  private Operand<T> lastLogits;
  private final Operand<T> logits;
  private final List<Operand<T>> pastKeys = new ArrayList<>();
  private final List<Operand<T>> pastValues = new ArrayList<>();
  private final List<Operand<T>> presentKeys = new ArrayList<>();
  private final List<Operand<T>> presentValues = new ArrayList<>();

  public DecoderModel(ModelConfig config, DecoderBlueprint blueprint, Class<T> type, LinearFactory linears,
      Precision precision) {
    super(config, type, linears, precision);
    this.blueprint = blueprint;
    inputIds = tf.withName("input_ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    attentionMask = tf.withName("attention_mask").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    logits = build();
  }

  private Operand<T> build() {
    int h = config.hiddenSize();
    Operand<TInt32> bt = tf.shape(inputIds);
    var embedding = param(blueprint.embedding());
    // NEFTune's hook sits on embed_tokens, before Gemma's scaling (done in the model's forward)
    Operand<T> x = tf.reshape(neftune(nn.embeddingRows(embedding, inputIds)), nn.ints(-1, h));
    if (blueprint.variant().scaleEmbedding()) {
      // modular_gemma.py GemmaModel.forward: normalizer = tensor(hidden_size**0.5, dtype=hidden_states.dtype);
      // the graph computes in float32 (float64 for gradient checks), so the factor is rounded to float32
      x = tf.math.mul(x, nn.scalar((float) Math.sqrt(h)));
    }

    Operand<TInt32> b = tf.slice(bt, nn.ints(0), nn.ints(1));
    Operand<TInt32> t = tf.slice(bt, nn.ints(1), nn.ints(1));
    Operand<TInt32> total = tf.slice(tf.shape(attentionMask), nn.ints(1), nn.ints(1));
    Operand<TInt32> past = tf.math.sub(total, t); // [1]: cached tokens before the new ones

    // position = number of attended tokens before this one (transformers' generate() for padded prompts)
    Operand<TInt32> allPositions = tf.math.maximum(
        tf.math.sub(tf.math.cumsum(attentionMask, tf.constant(1)), tf.constant(1)), tf.constant(0));
    Operand<TInt32> positions = tf.slice(allPositions, nn.shape(nn.ints(0), past), nn.ints(-1, -1));
    Rope<T> rope = new Rope<>(nn, config, positions);
    Operand<T> keys = nn.cast(tf.expandDims(tf.expandDims(attentionMask, tf.constant(1)), tf.constant(1)));
    Operand<T> causal = null;
    Operand<T> windowed = null;

    Operand<TInt32> emptyCache = nn.shape(b, nn.ints(config.numKvHeads(), 0, config.headDim()));
    for (DecoderBlueprint.Layer layer : blueprint.layers()) {
      int i = layer.index();
      Shape cacheShape = Shape.of(-1, config.numKvHeads(), -1, config.headDim());
      pastKeys.add(tf.withName("past_key." + i).placeholderWithDefault(tf.zeros(emptyCache, nn.type), cacheShape));
      pastValues.add(tf.withName("past_value." + i).placeholderWithDefault(tf.zeros(emptyCache, nn.type), cacheShape));
      Operand<T> bias;
      if (layer.slides()) {
        windowed = windowed != null ? windowed : windowBias(layer.window(), t, total, past, keys);
        bias = windowed;
      } else {
        causal = causal != null ? causal : causalBias(t, total, past, keys);
        bias = causal;
      }
      x = block(layer, x, bt, bias, rope);
    }
    x = rmsNorm(blueprint.finalNorm(), x);
    hidden = tf.withName("last_hidden_state").reshape(x, nn.shape(bt, nn.ints(h)));
    Operand<T> head = blueprint.lmHead().isPresent() ? param(blueprint.lmHead().get()) : embedding;
    Operand<T> flat = capped(nn.matMulT(x, head));
    Operand<T> last = tf.gather(hidden, tf.math.sub(tf.reshape(t, nn.ints()), tf.constant(1)), tf.constant(1));
    lastLogits = tf.withName("last_logits").identity(capped(nn.matMulT(last, head)));
    return tf.withName("logits").reshape(flat, nn.shape(bt, nn.ints(config.vocabSize())));
  }

  /** Gemma-2's final soft cap on the logits (modular_gemma2.py Gemma2ForCausalLM.forward); others pass through. */
  private Operand<T> capped(Operand<T> logits) {
    return blueprint.finalSoftcap().map(c -> nn.softcap(logits, c)).orElse(logits);
  }

  /**
   * {@code [B, 1, T, P+T]}: 0 where key j may be seen from new token i (j <= P + i and j not
   * padding).
   */
  private Operand<T> causalBias(Operand<TInt32> t, Operand<TInt32> total, Operand<TInt32> past, Operand<T> keys) {
    Operand<T> ones = tf.fill(nn.shape(t, total), nn.scalar(1.0));
    Operand<T> causal = tf.linalg.bandPart(ones, tf.constant(-1), tf.reshape(past, nn.ints()));
    return maskedWhereNot(tf.math.mul(causal, keys));
  }

  /**
   * As {@link #causalBias} but key j is seen from new token i only if it is fewer than
   * {@code window} positions back: {@code P + i - window < j <= P + i} (masking_utils.py
   * sliding_window_overlay, {@code kv_idx > q_idx - sliding_window}, on top of the causal mask).
   */
  private Operand<T> windowBias(int window, Operand<TInt32> t, Operand<TInt32> total, Operand<TInt32> past,
      Operand<T> keys) {
    Operand<TInt32> query = tf.expandDims(tf.math.add(tf.range(tf.constant(0), tf.reshape(t, nn.ints()), tf.constant(1)),
        tf.reshape(past, nn.ints())), tf.constant(1)); // [T, 1]: absolute index of each new token
    Operand<TInt32> key = tf.expandDims(tf.range(tf.constant(0), tf.reshape(total, nn.ints()), tf.constant(1)),
        tf.constant(0)); // [1, P+T]
    Operand<TInt32> back = tf.math.sub(query, key); // how far key j lies behind query i
    Operand<T> inWindow = tf.dtypes.cast(tf.math.logicalAnd(tf.math.greaterEqual(back, tf.constant(0)),
        tf.math.less(back, tf.constant(window))), nn.type);
    return maskedWhereNot(tf.math.mul(inWindow, keys));
  }

  /** 0 where {@code allowed} is 1, {@link Nn#MASKED} where it is 0. */
  private Operand<T> maskedWhereNot(Operand<T> allowed) {
    return tf.math.mul(tf.math.sub(nn.scalar(1.0), allowed), nn.scalar(Nn.MASKED));
  }

  private Operand<T> block(DecoderBlueprint.Layer layer, Operand<T> x, Operand<TInt32> bt, Operand<T> bias, Rope<T> rope) {
    int i = layer.index();
    Operand<T> n1 = rmsNorm(layer.inputNorm(), x);
    Operand<T> q = linear(layer.q(), i, n1);
    Operand<T> k = linear(layer.k(), i, n1);
    Operand<T> v = linear(layer.v(), i, n1);
    Attention<T> attention = Attention.of(nn, bt, config.numHeads(), config.numKvHeads(), config.headDim())
        .withProbsDropout(probs -> dropout(probs, config.attentionDropout()))
        .withScoreScale(blueprint.scoreScale());
    blueprint.attentionSoftcap().ifPresent(attention::withSoftcap);
    Operand<T> ctx = attention.apply(q, k, v, bias, rope, pastKeys.get(i), pastValues.get(i));
    presentKeys.add(attention.presentKey());
    presentValues.add(attention.presentValue());
    x = tf.math.add(x, normed(layer.attentionOutputNorm(), linear(layer.o(), i, ctx)));
    Operand<T> n2 = rmsNorm(layer.mlpInputNorm(), x);
    Operand<T> gate = blueprint.variant().mlpActivation().apply(nn, linear(layer.gate(), i, n2));
    Operand<T> up = linear(layer.up(), i, n2);
    return tf.math.add(x, normed(layer.mlpOutputNorm(), linear(layer.down(), i, tf.math.mul(gate, up))));
  }

  /** A sub-layer's output through Gemma-2's post-attention / post-feed-forward norm, where the layer has one. */
  private Operand<T> normed(Optional<NormSpec> norm, Operand<T> x) {
    return norm.isPresent() ? rmsNorm(norm.get(), x) : x;
  }

  private Operand<T> rmsNorm(NormSpec norm, Operand<T> x) {
    Operand<T> w = param(norm.weightName(), norm.width());
    return switch (blueprint.variant().norm()) {
      case WEIGHT -> nn.rmsNorm(x, w, config.normEps());
      case UNIT_OFFSET -> nn.rmsNormUnitOffset(x, w, config.normEps());
    };
  }

  @Override
  public String[] checkpointPrefixes() {
    return new String[0];
  }

  public Placeholder<TInt32> inputIds() {
    return inputIds;
  }

  public Placeholder<TInt32> attentionMask() {
    return attentionMask;
  }

  /** Logits {@code [batch, tokens, vocab]}. */
  public Operand<T> logits() {
    return logits;
  }

  /** Logits of the last position only {@code [batch, vocab]} (what a decoding step needs). */
  public Operand<T> lastLogits() {
    return lastLogits;
  }

  /** Per layer: cached keys fed in {@code [B, kvHeads, P, headDim]} (default: none). */
  public List<Operand<T>> pastKeys() {
    return Collections.unmodifiableList(pastKeys);
  }

  public List<Operand<T>> pastValues() {
    return Collections.unmodifiableList(pastValues);
  }

  /** Per layer: past plus new keys {@code [B, kvHeads, P+T, headDim]}, to feed back as the next past. */
  public List<Operand<T>> presentKeys() {
    return Collections.unmodifiableList(presentKeys);
  }

  public List<Operand<T>> presentValues() {
    return Collections.unmodifiableList(presentValues);
  }

  /** The last hidden state after the final norm {@code [batch, tokens, hidden]}, as transformers' LlamaModel returns it. */
  public Operand<T> hidden() {
    return hidden;
  }

  public FloatTensor forward(int[][] ids, int[][] mask) {
    return run(logits, ids, mask);
  }

  public FloatTensor forwardHidden(int[][] ids, int[][] mask) {
    return run(hidden, ids, mask);
  }

  private FloatTensor run(Operand<T> output, int[][] ids, int[][] mask) {
    try (var i = HostTensors.ints(ids);
        var m = HostTensors.ints(mask);
        Result r = session().runner().feed(inputIds, i).feed(attentionMask, m).fetch(output).run()) {
      return HostTensors.toHost(r.get(0));
    }
  }
}
