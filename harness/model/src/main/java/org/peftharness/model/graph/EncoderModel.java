package org.peftharness.model.graph;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.ModelFamily;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A BERT-family encoder (BERT, MiniLM, RoBERTa) as Hugging Face's BertModel / RobertaModel
 * compute it: word + position + token-type embeddings, LayerNorm, then post-LayerNorm blocks of
 * masked self-attention and an exact-GELU feed-forward. RoBERTa differs only in its position ids,
 * which count non-padding tokens starting after the padding index. Hidden and attention dropout
 * (config's {@code hidden_dropout_prob}, {@code attention_probs_dropout_prob}) sit where BertModel
 * has them and act only when {@link #training()} is fed true.
 */
public final class EncoderModel<T extends TNumber> extends GraphModel<T> {
  private final Placeholder<TInt32> inputIds;
  private final Placeholder<TInt32> tokenTypeIds;
  private final Placeholder<TInt32> attentionMask;
  private final Operand<T> hidden;

  public EncoderModel(ModelConfig config, Class<T> type, LinearFactory linears) {
    super(config, type, linears);
    if (!config.family().isEncoder()) {
      throw new IllegalArgumentException(config.modelType() + " is not an encoder");
    }
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
    if (config.family() == ModelFamily.ROBERTA) {
      // transformers' create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
      Operand<TInt32> notPad = tf.dtypes.cast(tf.math.notEqual(inputIds, tf.constant(config.padTokenId())), TInt32.class);
      positions = tf.math.add(tf.math.mul(tf.math.cumsum(notPad, tf.constant(1)), notPad), tf.constant(config.padTokenId()));
    } else {
      Operand<TInt32> t = tf.stridedSlice(bt, org.tensorflow.ndarray.index.Indices.at(1));
      Operand<TInt32> row = tf.range(tf.constant(0), t, tf.constant(1));
      positions = tf.math.add(tf.math.mul(inputIds, tf.constant(0)), row); // broadcast to [B, T]
    }

    Operand<T> words = embed("embeddings.word_embeddings.weight", config.vocabSize(), inputIds);
    Operand<T> pos = embed("embeddings.position_embeddings.weight", config.maxPositions(), positions);
    Operand<T> types = embed("embeddings.token_type_embeddings.weight", config.typeVocabSize(), tokenTypeIds);
    Operand<T> x = tf.reshape(tf.math.add(tf.math.add(words, types), pos), flatShape);
    x = dropout(layerNorm("embeddings.LayerNorm", x), config.hiddenDropout());

    // [B, 1, 1, T]: 0 where attended, MASKED at padding keys
    Operand<T> keep = nn.cast(tf.expandDims(tf.expandDims(attentionMask, tf.constant(1)), tf.constant(1)));
    Operand<T> bias = tf.math.mul(tf.math.sub(nn.scalar(1.0), keep), nn.scalar(Nn.MASKED));

    for (int i = 0; i < config.numLayers(); i++) {
      x = block(i, x, bt, bias);
    }
    return tf.withName("last_hidden_state").reshape(x, nn.shape(bt, nn.ints(h)));
  }

  private Operand<T> block(int i, Operand<T> x, Operand<TInt32> bt, Operand<T> bias) {
    String p = "encoder.layer." + i + ".";
    int h = config.hiddenSize();
    Operand<T> q = linear(p + "attention.self.query", i, "query", x, h, h, true);
    Operand<T> k = linear(p + "attention.self.key", i, "key", x, h, h, true);
    Operand<T> v = linear(p + "attention.self.value", i, "value", x, h, h, true);
    Operand<T> ctx = Attention.of(nn, bt, config.numHeads(), config.numHeads(), config.headDim())
        .withProbsDropout(probs -> dropout(probs, config.attentionDropout()))
        .apply(q, k, v, bias, null);
    Operand<T> attnOut = dropout(linear(p + "attention.output.dense", i, "dense", ctx, h, h, true), config.hiddenDropout());
    x = layerNorm(p + "attention.output.LayerNorm", tf.math.add(attnOut, x));
    Operand<T> inter = nn.gelu(linear(p + "intermediate.dense", i, "dense", x, config.intermediateSize(), h, true));
    Operand<T> out = dropout(linear(p + "output.dense", i, "dense", inter, h, config.intermediateSize(), true), config.hiddenDropout());
    return layerNorm(p + "output.LayerNorm", tf.math.add(out, x));
  }

  private Operand<T> embed(String name, int rows, Operand<TInt32> ids) {
    return tf.gather(param(name, rows, config.hiddenSize()), ids, tf.constant(0));
  }

  private Operand<T> layerNorm(String module, Operand<T> x) {
    int h = config.hiddenSize();
    return nn.layerNorm(x, param(module + ".weight", h), param(module + ".bias", h), config.normEps());
  }

  @Override
  protected String[] checkpointPrefixes() {
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
