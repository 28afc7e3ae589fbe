package org.peftharness.model.graph;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A BERT-family encoder (BERT, MiniLM, RoBERTa) as Hugging Face's BertModel / RobertaModel
 * compute it: word + position + token-type embeddings, LayerNorm, then post-LayerNorm blocks of
 * masked self-attention and an exact-GELU feed-forward. RoBERTa differs only in its position ids,
 * which count non-padding tokens starting after the padding index ({@link Positions}). The
 * tensors are those of an {@link EncoderBlueprint}. Hidden and attention dropout
 * (config's {@code hidden_dropout_prob}, {@code attention_probs_dropout_prob}) sit where BertModel
 * has them and act only when {@link #training()} is fed true.
 */
public final class EncoderModel<T extends TNumber> extends GraphModel<T> {
  /** How a family numbers its tokens for the learned position table. */
  public enum Positions {
    /** BERT: 0, 1, 2, ... for every row. */
    FROM_ZERO,
    /** RoBERTa: non-padding tokens count from the padding index + 1; padding sits at the padding index. */
    AFTER_PADDING
  }

  private final EncoderBlueprint blueprint;
  private final Positions positionIds;
  private final Placeholder<TInt32> inputIds;
  private final Placeholder<TInt32> tokenTypeIds;
  private final Placeholder<TInt32> attentionMask;
  private final Operand<T> hidden;

  public EncoderModel(ModelConfig config, EncoderBlueprint blueprint, Positions positionIds, Class<T> type,
      LinearFactory linears, Precision precision) {
    super(config, type, linears, precision);
    this.blueprint = blueprint;
    this.positionIds = positionIds;
    Shape batch = Shape.of(-1, -1);
    inputIds = tf.withName("input_ids").placeholder(TInt32.class, Placeholder.shape(batch));
    tokenTypeIds = tf.withName("token_type_ids").placeholder(TInt32.class, Placeholder.shape(batch));
    attentionMask = tf.withName("attention_mask").placeholder(TInt32.class, Placeholder.shape(batch));
    hidden = build();
  }

  private Operand<T> build() {
    int h = config.hiddenSize();
    Operand<TInt32> bt = tf.shape(inputIds);
    Operand<TInt32> flatShape = nn.ints(-1, h);

    Operand<TInt32> positions;
    if (positionIds == Positions.AFTER_PADDING) {
      // transformers' create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
      Operand<TInt32> notPad = tf.dtypes.cast(tf.math.notEqual(inputIds, tf.constant(config.padTokenId())), TInt32.class);
      positions = tf.math.add(tf.math.mul(tf.math.cumsum(notPad, tf.constant(1)), notPad), tf.constant(config.padTokenId()));
    } else {
      Operand<TInt32> t = tf.stridedSlice(bt, Indices.at(1));
      Operand<TInt32> row = tf.range(tf.constant(0), t, tf.constant(1));
      positions = tf.math.add(tf.math.mul(inputIds, tf.constant(0)), row); // broadcast to [B, T]
    }

    // transformers hooks NEFTune on get_input_embeddings(), the word embeddings alone
    Operand<T> words = neftune(embed(blueprint.words(), inputIds));
    Operand<T> pos = embed(blueprint.positions(), positions);
    Operand<T> types = embed(blueprint.tokenTypes(), tokenTypeIds);
    Operand<T> x = tf.reshape(tf.math.add(tf.math.add(words, types), pos), flatShape);
    x = dropout(layerNorm(blueprint.embeddingNorm(), x), config.hiddenDropout());

    // [B, 1, 1, T]: 0 where attended, MASKED at padding keys
    Operand<T> keep = nn.cast(tf.expandDims(tf.expandDims(attentionMask, tf.constant(1)), tf.constant(1)));
    Operand<T> bias = tf.math.mul(tf.math.sub(nn.scalar(1.0), keep), nn.scalar(Nn.MASKED));

    for (EncoderBlueprint.Layer layer : blueprint.layers()) {
      x = block(layer, x, bt, bias);
    }
    return tf.withName("last_hidden_state").reshape(x, nn.shape(bt, nn.ints(h)));
  }

  private Operand<T> block(EncoderBlueprint.Layer layer, Operand<T> x, Operand<TInt32> bt, Operand<T> bias) {
    int i = layer.index();
    Operand<T> q = linear(layer.query(), i, x);
    Operand<T> k = linear(layer.key(), i, x);
    Operand<T> v = linear(layer.value(), i, x);
    Operand<T> ctx = Attention.of(nn, bt, config.numHeads(), config.numHeads(), config.headDim())
        .withProbsDropout(probs -> dropout(probs, config.attentionDropout()))
        .apply(q, k, v, bias, null);
    Operand<T> attnOut = dropout(linear(layer.attentionOutput(), i, ctx), config.hiddenDropout());
    x = layerNorm(layer.attentionNorm(), tf.math.add(attnOut, x));
    Operand<T> inter = nn.gelu(linear(layer.intermediate(), i, x));
    Operand<T> out = dropout(linear(layer.output(), i, inter), config.hiddenDropout());
    return layerNorm(layer.outputNorm(), tf.math.add(out, x));
  }

  private Operand<T> embed(TensorSpec table, Operand<TInt32> ids) {
    return nn.embeddingRows(param(table), ids);
  }

  private Operand<T> layerNorm(NormSpec norm, Operand<T> x) {
    return nn.layerNorm(x, param(norm.weightName(), norm.width()), param(norm.biasName(), norm.width()), config.normEps());
  }

  @Override
  public String[] checkpointPrefixes() {
    return taskModelPrefixes();
  }

  /** Where transformers' task models keep the bare encoder's tensors ({@code bert.embeddings...}, {@code bert.pooler...}). */
  public static String[] taskModelPrefixes() {
    return new String[] {"bert.", "roberta.", "model."};
  }

  public Placeholder<TInt32> inputIds() {
    return inputIds;
  }

  public Placeholder<TInt32> tokenTypeIds() {
    return tokenTypeIds;
  }

  public Placeholder<TInt32> attentionMask() {
    return attentionMask;
  }

  /** The last hidden state {@code [batch, tokens, hidden]}. */
  public Operand<T> hidden() {
    return hidden;
  }

  /** Runs the encoder on a right-padded batch; returns the last hidden state. */
  public FloatTensor forward(int[][] ids, int[][] typeIds, int[][] mask) {
    try (TInt32 i = HostTensors.ints(ids);
        TInt32 t = HostTensors.ints(typeIds);
        TInt32 m = HostTensors.ints(mask);
        Result r = session().runner().feed(inputIds, i).feed(tokenTypeIds, t).feed(attentionMask, m).fetch(hidden).run()) {
      return HostTensors.toHost(r.get(0));
    }
  }
}
