package org.peftharness.model.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What a decoder forward needs from config.json, resolved per {@code model_type} with the defaults
 * of transformers' configuration_{llama,mistral,qwen2,gemma,gemma2}.py. Keys that change the
 * numbers and that the reference does not implement are refused rather than ignored.
 *
 * @param headDim {@code head_dim} when given (Gemma's default 256), else hidden / heads
 * @param ropeScaling Llama 3 rescaling of the rotary frequencies, or null
 * @param gemma Gemma's conventions: RMSNorm weight {@code (1 + w)} and embeddings times
 *     {@code sqrt(hidden)} rounded to the weights' float32
 * @param qkvBias Qwen2's biases on the query, key and value projections
 * @param sandwichNorms Gemma-2's four norms per layer
 * @param scoreScale the factor on {@code q . k}: {@code head_dim^-0.5}, Gemma-2's {@code query_pre_attn_scalar^-0.5}
 * @param attnSoftcap Gemma-2's attention-logit cap, or null
 * @param finalSoftcap Gemma-2's final-logit cap, or null
 * @param window the sliding window in tokens (W positions, the query's own included), or 0
 * @param slidingLayers which layers use the window
 */
public record DecoderConfig(
    String modelType, int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int vocab,
    double eps, double ropeTheta, Llama3Rope ropeScaling, String activation, boolean tiedHead, boolean gemma,
    boolean qkvBias, boolean sandwichNorms, double scoreScale, Double attnSoftcap, Double finalSoftcap,
    int window, boolean[] slidingLayers) {

  /** The same model with full causal attention on every layer. */
  public DecoderConfig withoutWindow() {
    return new DecoderConfig(modelType, hidden, layers, heads, kvHeads, headDim, intermediate, vocab, eps, ropeTheta,
        ropeScaling, activation, tiedHead, gemma, qkvBias, sandwichNorms, scoreScale, attnSoftcap, finalSoftcap, 0,
        new boolean[layers]);
  }

  private static final Set<String> TYPES = Set.of("llama", "mistral", "qwen2", "gemma", "gemma2");

  /** modeling_rope_utils.py _compute_llama3_parameters's four numbers. */
  public record Llama3Rope(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {}

  public static DecoderConfig fromJson(JsonNode c) {
    String type = ConfigJson.text(c, "model_type", null);
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("no decoder reference for model_type '" + type + "'");
    }
    boolean gemmaFamily = type.startsWith("gemma");
    boolean gemma2 = type.equals("gemma2");
    int hidden = ConfigJson.integer(c, "hidden_size", null);
    int layers = ConfigJson.integer(c, "num_hidden_layers", null);
    int heads = ConfigJson.integer(c, "num_attention_heads", null);
    int kvHeads = ConfigJson.integer(c, "num_key_value_heads", heads);
    // LlamaAttention: getattr(config, "head_dim", hidden_size // num_attention_heads); GemmaConfig: head_dim=256
    int headDim = ConfigJson.integer(c, "head_dim", gemmaFamily ? 256 : hidden / heads);
    refuse(c, "attention_bias", "q/k/v/o biases");
    refuse(c, "mlp_bias", "MLP biases");
    // Gemma-2's MLP reads hidden_activation (modular_gemma2.py Gemma2MLP), the others hidden_act
    String act = gemma2 ? ConfigJson.text(c, "hidden_activation", "gelu_pytorch_tanh")
        : ConfigJson.text(c, "hidden_act", gemmaFamily ? "gelu_pytorch_tanh" : "silu");
    double scale = gemma2 ? 1 / Math.sqrt(ConfigJson.number(c, "query_pre_attn_scalar", 256.0)) : 1 / Math.sqrt(headDim);
    Double attnCap = gemma2 ? ConfigJson.nullableNumber(c, "attn_logit_softcapping", 50.0) : null;
    Double finalCap = gemma2 ? ConfigJson.nullableNumber(c, "final_logit_softcapping", 30.0) : null;
    if (!gemma2 && (ConfigJson.present(c, "attn_logit_softcapping") || ConfigJson.present(c, "final_logit_softcapping"))) {
      throw new IllegalArgumentException(type + " has no logit soft-capping; transformers ignores the key, so should a config");
    }
    int window = windowTokens(c, type);
    boolean[] sliding = slidingLayers(c, type, layers, window);
    return new DecoderConfig(type, hidden, layers, heads, kvHeads, headDim, ConfigJson.integer(c, "intermediate_size", null),
        ConfigJson.integer(c, "vocab_size", null), ConfigJson.number(c, "rms_norm_eps", 1e-6),
        ConfigJson.number(c, "rope_theta", 10000.0), ropeScaling(c), act,
        ConfigJson.bool(c, "tie_word_embeddings", gemmaFamily), gemmaFamily, type.equals("qwen2"), gemma2, scale,
        attnCap, finalCap, window, sliding);
  }

  /**
   * MistralConfig and Gemma2Config: {@code sliding_window} (default 4096; null switches it off
   * for Mistral). Qwen2Config: {@code sliding_window if use_sliding_window else None}. Llama and
   * Gemma have none.
   */
  private static int windowTokens(JsonNode c, String type) {
    Double w = switch (type) {
      case "mistral", "gemma2" -> ConfigJson.nullableNumber(c, "sliding_window", 4096.0);
      case "qwen2" -> ConfigJson.bool(c, "use_sliding_window", false)
          ? ConfigJson.nullableNumber(c, "sliding_window", 4096.0) : null;
      default -> null;
    };
    return w == null ? 0 : w.intValue();
  }

  /**
   * Mistral: every layer once a window is set. Qwen2 and Gemma-2: {@code layer_types} when given,
   * else Qwen2Config's {@code sliding_window is not None and i >= max_window_layers} and
   * Gemma2Config's {@code bool((i + 1) % 2)} (even layers slide).
   */
  private static boolean[] slidingLayers(JsonNode c, String type, int layers, int window) {
    boolean[] s = new boolean[layers];
    if (window == 0) {
      return s;
    }
    boolean typed = (type.equals("qwen2") || type.equals("gemma2")) && ConfigJson.present(c, "layer_types");
    int maxWindowLayers = ConfigJson.integer(c, "max_window_layers", 28);
    for (int i = 0; i < layers; i++) {
      s[i] = typed ? c.get("layer_types").get(i).asText().equals("sliding_attention") : switch (type) {
        case "mistral" -> true;
        case "qwen2" -> i >= maxWindowLayers;
        case "gemma2" -> (i + 1) % 2 != 0;
        default -> false;
      };
    }
    return s;
  }

  private static Llama3Rope ropeScaling(JsonNode c) {
    if (!ConfigJson.present(c, "rope_scaling")) {
      return null;
    }
    JsonNode s = c.get("rope_scaling");
    String kind = ConfigJson.text(s, "rope_type", ConfigJson.text(s, "type", "default"));
    return switch (kind) {
      case "default" -> null;
      case "llama3" -> new Llama3Rope(s.get("factor").asDouble(), s.get("low_freq_factor").asDouble(),
          s.get("high_freq_factor").asDouble(), s.get("original_max_position_embeddings").asInt());
      default -> throw new IllegalArgumentException("the reference implements no rope_scaling '" + kind + "'");
    };
  }

  private static void refuse(JsonNode c, String key, String what) {
    if (ConfigJson.bool(c, key, false)) {
      throw new IllegalArgumentException("the reference implements no " + what + " ('" + key + "': true)");
    }
  }
}
