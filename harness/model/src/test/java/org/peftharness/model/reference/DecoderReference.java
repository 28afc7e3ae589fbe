package org.peftharness.model.reference;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Llama, Mistral, Qwen2, Gemma and Gemma-2 causal LMs in float64, written from transformers
 * models/llama/modeling_llama.py (LlamaModel.forward, LlamaDecoderLayer.forward,
 * LlamaAttention.forward with eager_attention_forward, LlamaMLP), models/mistral/modeling_mistral.py,
 * models/qwen2/modeling_qwen2.py (Qwen2Attention: biased q/k/v), models/gemma/modular_gemma.py
 * (GemmaRMSNorm, the embedding normalizer) and models/gemma2/modular_gemma2.py
 * (Gemma2DecoderLayer's four norms, Gemma2Attention's softcap, Gemma2ForCausalLM's final softcap),
 * with masks as masking_utils.py builds them (causal_mask_function, sliding_window_overlay,
 * padding_mask_function). One unbatched sequence in, logits {@code [tokens, vocab]} out.
 */
public final class DecoderReference {
  private final DecoderConfig config;
  private final ReferenceWeights weights;
  private final RotaryFrequencies rope;
  private final DoubleUnaryOperator act;

  public DecoderReference(DecoderConfig config, ReferenceWeights weights) {
    this.config = config;
    this.weights = weights;
    this.rope = new RotaryFrequencies(config.headDim(), config.ropeTheta(), config.ropeScaling());
    this.act = Numerics.activation(config.activation());
  }

  /**
   * @param mask 1 for tokens, 0 for (left) padding, or null for all ones. Positions count the
   *     attended tokens before each one, as generate() derives them from the attention mask
   *     ({@code cumsum(mask) - 1}); the causal and sliding-window masks use the index in the
   *     padded row (cache_position), so padding counts against a window as it does in transformers.
   *     Rows of padding queries, which nothing reads, come out of an all-masked attention as zeros.
   */
  public double[][] logits(int[] ids, int[] mask) {
    int[] m = mask != null ? mask : ones(ids.length);
    double[][] x = Numerics.embed(w("model.embed_tokens.weight"), config.hidden(), ids);
    if (config.gemma()) {
      // GemmaModel.forward: normalizer = torch.tensor(hidden_size**0.5, dtype=hidden_states.dtype)
      double normalizer = (float) Math.sqrt(config.hidden());
      for (double[] row : x) {
        for (int i = 0; i < row.length; i++) {
          row[i] *= normalizer;
        }
      }
    }
    int[] positions = new int[ids.length];
    int seen = 0;
    for (int t = 0; t < ids.length; t++) {
      seen += m[t];
      positions[t] = Math.max(seen - 1, 0);
    }
    for (int l = 0; l < config.layers(); l++) {
      x = layer(l, x, positions, m);
    }
    x = norm(x, "model.norm.weight");
    String head = config.tiedHead() ? "model.embed_tokens.weight" : "lm_head.weight";
    double[][] logits = Numerics.linear(x, w(head), null, config.vocab());
    if (config.finalSoftcap() != null) {
      softcap(logits, config.finalSoftcap());
    }
    return logits;
  }

  /**
   * LlamaDecoderLayer: {@code x + attn(norm(x))}, then {@code x + mlp(norm(x))}. Gemma2DecoderLayer
   * also normalizes each sub-layer's output (post_attention_layernorm, post_feedforward_layernorm)
   * before the residual add, the MLP's input norm being pre_feedforward_layernorm.
   */
  private double[][] layer(int l, double[][] x, int[] positions, int[] mask) {
    String p = "model.layers." + l + ".";
    double[][] a = attention(l, norm(x, p + "input_layernorm.weight"), positions, mask);
    if (config.sandwichNorms()) {
      a = norm(a, p + "post_attention_layernorm.weight");
    }
    Numerics.addInPlace(a, x);
    String mlpNorm = config.sandwichNorms() ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight";
    double[][] f = mlp(p, norm(a, p + mlpNorm));
    if (config.sandwichNorms()) {
      f = norm(f, p + "post_feedforward_layernorm.weight");
    }
    Numerics.addInPlace(f, a);
    return f;
  }

  /** LlamaMLP: {@code down_proj(act(gate_proj(x)) * up_proj(x))}. */
  private double[][] mlp(String p, double[][] x) {
    double[][] gate = Numerics.linear(x, w(p + "mlp.gate_proj.weight"), null, config.intermediate());
    double[][] up = Numerics.linear(x, w(p + "mlp.up_proj.weight"), null, config.intermediate());
    for (int t = 0; t < gate.length; t++) {
      for (int i = 0; i < gate[t].length; i++) {
        gate[t][i] = act.applyAsDouble(gate[t][i]) * up[t][i];
      }
    }
    return Numerics.linear(gate, w(p + "mlp.down_proj.weight"), null, config.hidden());
  }

  /**
   * LlamaAttention.forward: project, rotate q and k, repeat_kv (query head h reads key/value head
   * {@code h / (heads / kv_heads)}), scores {@code q . k * scaling}; Gemma2Attention then caps them
   * ({@code c tanh(s / c)}) before eager_attention_forward adds the mask; softmax; weighted values;
   * o_proj (never biased).
   */
  private double[][] attention(int l, double[][] x, int[] positions, int[] mask) {
    String p = "model.layers." + l + ".self_attn.";
    int d = config.headDim();
    int tokens = x.length;
    double[][] q = Numerics.linear(x, w(p + "q_proj.weight"), bias(p + "q_proj.bias"), config.heads() * d);
    double[][] k = Numerics.linear(x, w(p + "k_proj.weight"), bias(p + "k_proj.bias"), config.kvHeads() * d);
    double[][] v = Numerics.linear(x, w(p + "v_proj.weight"), bias(p + "v_proj.bias"), config.kvHeads() * d);
    int group = config.heads() / config.kvHeads();
    boolean sliding = config.slidingLayers()[l];
    double[][] ctx = new double[tokens][config.heads() * d];
    for (int head = 0; head < config.heads(); head++) {
      int kvOffset = (head / group) * d;
      double[][] keys = new double[tokens][];
      for (int j = 0; j < tokens; j++) {
        keys[j] = rope.rotate(k[j], kvOffset, positions[j]);
      }
      for (int i = 0; i < tokens; i++) {
        double[] query = rope.rotate(q[i], head * d, positions[i]);
        double[] s = new double[tokens];
        boolean[] allowed = new boolean[tokens];
        for (int j = 0; j < tokens; j++) {
          double dot = 0;
          for (int e = 0; e < d; e++) {
            dot += query[e] * keys[j][e];
          }
          s[j] = dot * config.scoreScale();
          if (config.attnSoftcap() != null) {
            s[j] = config.attnSoftcap() * Math.tanh(s[j] / config.attnSoftcap());
          }
          allowed[j] = visible(i, j, sliding) && mask[j] != 0;
        }
        double[] prob = Numerics.maskedSoftmax(s, allowed);
        for (int j = 0; j < tokens; j++) {
          for (int e = 0; e < d; e++) {
            ctx[i][head * d + e] += prob[j] * v[j][kvOffset + e];
          }
        }
      }
    }
    return Numerics.linear(ctx, w(p + "o_proj.weight"), null, config.hidden());
  }

  /** causal_mask_function {@code kv_idx <= q_idx}, and on sliding layers sliding_window_overlay {@code kv_idx > q_idx - W}. */
  private boolean visible(int i, int j, boolean sliding) {
    return j <= i && (!sliding || j > i - config.window());
  }

  /**
   * GemmaRMSNorm multiplies by {@code (1 + w)} in float32 before casting back, LlamaRMSNorm casts
   * before multiplying by {@code w}: one computation for float32 checkpoints, here in float64.
   */
  private double[][] norm(double[][] x, String name) {
    return Numerics.rmsNorm(x, w(name), config.eps(), config.gemma() ? 1 : 0);
  }

  private double[] bias(String name) {
    return config.qkvBias() ? w(name) : null;
  }

  private static void softcap(double[][] x, double cap) {
    for (double[] row : x) {
      for (int i = 0; i < row.length; i++) {
        row[i] = cap * Math.tanh(row[i] / cap);
      }
    }
  }

  private double[] w(String name) {
    return weights.get(name);
  }

  private static int[] ones(int n) {
    int[] m = new int[n];
    Arrays.fill(m, 1);
    return m;
  }
}
