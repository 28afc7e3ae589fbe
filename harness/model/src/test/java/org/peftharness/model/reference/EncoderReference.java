package org.peftharness.model.reference;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * BERT and RoBERTa in float64, from transformers models/bert/modeling_bert.py and
 * models/roberta/modeling_roberta.py: embeddings (word + token type + learned absolute position,
 * then LayerNorm), then post-LayerNorm layers of bidirectional attention and a GELU feed-forward.
 * The output is the last hidden state, {@code [tokens, hidden]}, for one unbatched sequence.
 */
public final class EncoderReference {
  private final EncoderConfig config;
  private final ReferenceWeights weights;
  private final String prefix;
  private final DoubleUnaryOperator act;

  public EncoderReference(EncoderConfig config, ReferenceWeights weights) {
    this.config = config;
    this.weights = weights;
    // task checkpoints (BertForSequenceClassification, ...) keep the encoder under "bert." / "roberta."
    String bare = "embeddings.word_embeddings.weight";
    String typed = config.modelType().replace('-', '_') + ".";
    this.prefix = weights.has(bare) || !weights.has(typed + bare) ? "" : typed;
    this.act = Numerics.activation(config.activation());
  }

  /**
   * @param mask 1 for tokens, 0 for padding (transformers: the extended attention mask adds the
   *     dtype's minimum to padded keys, so they get no weight); null for all ones
   */
  public double[][] lastHiddenState(int[] ids, int[] typeIds, int[] mask) {
    int h = config.hidden();
    int[] m = mask != null ? mask : ones(ids.length);
    double[][] x = Numerics.embed(w("embeddings.word_embeddings.weight"), h, ids);
    Numerics.addInPlace(x, Numerics.embed(w("embeddings.token_type_embeddings.weight"), h,
        typeIds != null ? typeIds : new int[ids.length]));
    Numerics.addInPlace(x, Numerics.embed(w("embeddings.position_embeddings.weight"), h, positionIds(ids)));
    x = Numerics.layerNorm(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), config.eps());
    for (int l = 0; l < config.layers(); l++) {
      x = layer(l, x, m);
    }
    return x;
  }

  /**
   * BertEmbeddings.forward: {@code arange(T)}. RobertaEmbeddings.forward via
   * create_position_ids_from_input_ids: {@code cumsum(ids != pad) * (ids != pad) + pad}, so the
   * first token sits at {@code pad + 1} and padding tokens at {@code pad}.
   */
  int[] positionIds(int[] ids) {
    int[] p = new int[ids.length];
    int count = 0;
    for (int t = 0; t < ids.length; t++) {
      if (!config.robertaPositions()) {
        p[t] = t;
      } else {
        boolean real = ids[t] != config.padTokenId();
        count += real ? 1 : 0;
        p[t] = (real ? count : 0) + config.padTokenId();
      }
    }
    return p;
  }

  /** BertLayer.forward: BertAttention (self-attention, BertSelfOutput), BertIntermediate, BertOutput. */
  private double[][] layer(int l, double[][] x, int[] mask) {
    String p = "encoder.layer." + l + ".";
    int h = config.hidden();
    double[][] q = Numerics.linear(x, w(p + "attention.self.query.weight"), w(p + "attention.self.query.bias"), h);
    double[][] k = Numerics.linear(x, w(p + "attention.self.key.weight"), w(p + "attention.self.key.bias"), h);
    double[][] v = Numerics.linear(x, w(p + "attention.self.value.weight"), w(p + "attention.self.value.bias"), h);
    double[][] ctx = attention(q, k, v, mask);
    double[][] attnOut = Numerics.linear(ctx, w(p + "attention.output.dense.weight"), w(p + "attention.output.dense.bias"), h);
    Numerics.addInPlace(attnOut, x);
    attnOut = Numerics.layerNorm(attnOut, w(p + "attention.output.LayerNorm.weight"),
        w(p + "attention.output.LayerNorm.bias"), config.eps());
    double[][] inter = Numerics.linear(attnOut, w(p + "intermediate.dense.weight"), w(p + "intermediate.dense.bias"),
        config.intermediate());
    for (double[] row : inter) {
      for (int i = 0; i < row.length; i++) {
        row[i] = act.applyAsDouble(row[i]);
      }
    }
    double[][] out = Numerics.linear(inter, w(p + "output.dense.weight"), w(p + "output.dense.bias"), h);
    Numerics.addInPlace(out, attnOut);
    return Numerics.layerNorm(out, w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"), config.eps());
  }

  /** BertSelfAttention.forward (eager): per head, softmax(q k^T / sqrt(head_dim) + mask) v. */
  private double[][] attention(double[][] q, double[][] k, double[][] v, int[] mask) {
    int tokens = q.length;
    int d = config.headDim();
    double scale = 1 / Math.sqrt(d);
    boolean[] allowed = new boolean[tokens];
    for (int j = 0; j < tokens; j++) {
      allowed[j] = mask[j] != 0;
    }
    double[][] ctx = new double[tokens][config.hidden()];
    for (int head = 0; head < config.heads(); head++) {
      int o = head * d;
      for (int i = 0; i < tokens; i++) {
        double[] s = new double[tokens];
        for (int j = 0; j < tokens; j++) {
          double dot = 0;
          for (int e = 0; e < d; e++) {
            dot += q[i][o + e] * k[j][o + e];
          }
          s[j] = dot * scale;
        }
        double[] prob = Numerics.maskedSoftmax(s, allowed);
        for (int j = 0; j < tokens; j++) {
          for (int e = 0; e < d; e++) {
            ctx[i][o + e] += prob[j] * v[j][o + e];
          }
        }
      }
    }
    return ctx;
  }

  private double[] w(String name) {
    return weights.get(prefix + name);
  }

  private static int[] ones(int n) {
    int[] m = new int[n];
    Arrays.fill(m, 1);
    return m;
  }
}
