package org.peftharness.model.graph;

import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.Nn;
import org.peftharness.model.ModelConfig;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A Llama-family decoder (Llama, Mistral) as transformers' LlamaForCausalLM computes it:
 * pre-RMSNorm blocks of causal grouped-query attention with rotary positions and a SiLU-gated
 * MLP, a final RMSNorm, and an output head that is either its own matrix or the tied embedding.
 * Positions count attended tokens, so left-padded prompts get the positions transformers gives.
 */
public final class DecoderModel<T extends TNumber> extends GraphModel<T> {
  private final Placeholder<TInt32> inputIds;
  private final Placeholder<TInt32> attentionMask;
  private Operand<T> hidden;
  private final Operand<T> logits;

  public DecoderModel(ModelConfig config, Class<T> type, LinearFactory linears) {
    super(config, type, linears);
    if (config.family().isEncoder()) {
      throw new IllegalArgumentException(config.modelType() + " is not a decoder");
    }
    inputIds = tf.withName("input_ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    attentionMask = tf.withName("attention_mask").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, -1)));
    logits = build();
  }

  private Operand<T> build() {
    int h = config.hiddenSize();
    Operand<TInt32> bt = tf.shape(inputIds);
    var embedding = param("model.embed_tokens.weight", config.vocabSize(), h);
    Operand<T> x = tf.reshape(tf.gather(embedding, inputIds, tf.constant(0)), nn.ints(-1, h));

    // position = number of attended tokens before this one (transformers' generate() for padded prompts)
    Operand<TInt32> positions = tf.math.maximum(
        tf.math.sub(tf.math.cumsum(attentionMask, tf.constant(1)), tf.constant(1)), tf.constant(0));
    Rope<T> rope = new Rope<>(nn, config, positions);
    Operand<T> bias = causalBias(bt);

    for (int i = 0; i < config.numLayers(); i++) {
      x = block(i, x, bt, bias, rope);
    }
    x = nn.rmsNorm(x, param("model.norm.weight", h), config.normEps());
    hidden = tf.withName("last_hidden_state").reshape(x, nn.shape(bt, nn.ints(h)));
    Operand<T> head = config.tieWordEmbeddings() ? embedding : param("lm_head.weight", config.vocabSize(), h);
    Operand<T> flat = tf.linalg.matMul(x, head, MatMul.transposeB(true));
    return tf.withName("logits").reshape(flat, nn.shape(bt, nn.ints(config.vocabSize())));
  }

  /** {@code [B, 1, T, T]}: 0 where key j may be seen from query i (j <= i and j not padding). */
  private Operand<T> causalBias(Operand<TInt32> bt) {
    Operand<TInt32> t = tf.slice(bt, nn.ints(1), nn.ints(1));
    Operand<T> ones = tf.fill(nn.shape(t, t), nn.scalar(1.0));
    Operand<T> causal = tf.linalg.bandPart(ones, tf.constant(-1), tf.constant(0));
    Operand<T> keys = nn.cast(tf.expandDims(tf.expandDims(attentionMask, tf.constant(1)), tf.constant(1)));
    Operand<T> allowed = tf.math.mul(causal, keys);
    return tf.math.mul(tf.math.sub(nn.scalar(1.0), allowed), nn.scalar(Nn.MASKED));
  }

  private Operand<T> block(int i, Operand<T> x, Operand<TInt32> bt, Operand<T> bias, Rope<T> rope) {
    String p = "model.layers." + i + ".";
    int h = config.hiddenSize();
    double eps = config.normEps();
    Operand<T> n1 = nn.rmsNorm(x, param(p + "input_layernorm.weight", h), eps);
    Operand<T> q = linear(p + "self_attn.q_proj", i, "q_proj", n1, config.qDim(), h, false);
    Operand<T> k = linear(p + "self_attn.k_proj", i, "k_proj", n1, config.kvDim(), h, false);
    Operand<T> v = linear(p + "self_attn.v_proj", i, "v_proj", n1, config.kvDim(), h, false);
    Operand<T> ctx = Attention.of(nn, bt, config.numHeads(), config.numKvHeads(), config.headDim())
        .apply(q, k, v, bias, rope);
    x = tf.math.add(x, linear(p + "self_attn.o_proj", i, "o_proj", ctx, h, config.qDim(), false));
    Operand<T> n2 = nn.rmsNorm(x, param(p + "post_attention_layernorm.weight", h), eps);
    int f = config.intermediateSize();
    Operand<T> gate = nn.silu(linear(p + "mlp.gate_proj", i, "gate_proj", n2, f, h, false));
    Operand<T> up = linear(p + "mlp.up_proj", i, "up_proj", n2, f, h, false);
    return tf.math.add(x, linear(p + "mlp.down_proj", i, "down_proj", tf.math.mul(gate, up), h, f, false));
  }

  @Override
  protected String[] checkpointPrefixes() {
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
