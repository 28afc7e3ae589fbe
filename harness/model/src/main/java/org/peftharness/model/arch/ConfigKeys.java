package org.peftharness.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.peftharness.core.json.JsonDocument;

/** The config.json keys every family reads the same way, with the checks transformers' configs imply. */
final class ConfigKeys {
  private ConfigKeys() {}

  /** The attention and embedding shape of a transformer, checked for consistency. */
  record Dims(int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int vocab, int maxPositions) {}

  /**
   * @param defaultMaxPositions what the family's transformers config class defaults
   *     {@code max_position_embeddings} to
   */
  static Dims dims(JsonDocument doc, int defaultMaxPositions) {
    return dims(doc, defaultMaxPositions, null);
  }

  /**
   * @param defaultHeadDim what the config class defaults {@code head_dim} to (Gemma: 256), or null
   *     for {@code hidden_size / num_attention_heads}
   */
  static Dims dims(JsonDocument doc, int defaultMaxPositions, Integer defaultHeadDim) {
    int hidden = doc.positiveInt("hidden_size");
    int layers = doc.positiveInt("num_hidden_layers");
    int heads = doc.positiveInt("num_attention_heads");
    int inter = doc.positiveInt("intermediate_size");
    int vocab = doc.positiveInt("vocab_size");
    int maxPos = doc.optInt("max_position_embeddings").orElse(defaultMaxPositions);
    if (maxPos <= 0) {
      throw doc.error("max_position_embeddings", "must be positive, got " + maxPos);
    }
    int kvHeads = doc.optInt("num_key_value_heads").orElse(heads);
    if (kvHeads <= 0 || heads % kvHeads != 0) {
      throw doc.error("num_key_value_heads", kvHeads + " must be positive and divide num_attention_heads (" + heads + ")");
    }
    int headDim;
    if (doc.has("head_dim")) {
      headDim = doc.positiveInt("head_dim");
    } else if (defaultHeadDim != null) {
      headDim = defaultHeadDim;
    } else {
      if (hidden % heads != 0) {
        throw doc.error("num_attention_heads", heads + " does not divide hidden_size " + hidden);
      }
      headDim = hidden / heads;
    }
    return new Dims(hidden, layers, heads, kvHeads, headDim, inter, vocab, maxPos);
  }

  /** {@code hidden_act}, which must be the one activation the family's graph builds. */
  static String activation(JsonDocument doc, String only, String family) {
    String act = doc.optString("hidden_act").orElse(only);
    if (!act.equals(only)) {
      throw doc.error("hidden_act", "only '" + only + "' is supported for " + family + ", got '" + act + "'");
    }
    return act;
  }

  /**
   * Settings of transformers' decoder families that change what a model computes, each with the
   * value at which it changes nothing. A family that does not implement one refuses a config that
   * sets it, rather than computing as if it were absent.
   */
  private static final Map<String, Predicate<JsonNode>> FEATURE_KEYS = featureKeys();

  private static Map<String, Predicate<JsonNode>> featureKeys() {
    Map<String, Predicate<JsonNode>> inert = new TreeMap<>();
    Predicate<JsonNode> nullOrFalse = n -> n.isNull() || (n.isBoolean() && !n.asBoolean());
    inert.put("attn_logit_softcapping", JsonNode::isNull); // Gemma-2
    inert.put("final_logit_softcapping", JsonNode::isNull); // Gemma-2
    inert.put("query_pre_attn_scalar", JsonNode::isNull); // Gemma-2
    inert.put("use_sliding_window", nullOrFalse); // Qwen2
    inert.put("layer_types", n -> n.isNull()
        || (n.isArray() && StreamSupport.stream(n.spliterator(), false)
            .allMatch(t -> t.asText().equals("full_attention")))); // Gemma-2, Qwen2
    inert.put("attention_bias", nullOrFalse); // LlamaConfig: biases on q, k, v and o
    inert.put("mlp_bias", nullOrFalse); // LlamaConfig: biases on the MLP's projections
    inert.put("hidden_activation", JsonNode::isNull); // Gemma
    inert.put("partial_rotary_factor", n -> n.isNull() || (n.isNumber() && n.asDouble() == 1.0)); // rotary on part of a head
    inert.put("use_qk_norm", nullOrFalse); // Llama 4: norms on queries and keys
    inert.put("qk_layernorm", nullOrFalse); // Persimmon: norms on queries and keys
    return Collections.unmodifiableMap(inert);
  }

  /**
   * Refuses, naming the key and its line, a setting of {@link #FEATURE_KEYS} that the family does
   * not implement ({@code attn_logit_softcapping} on a Llama): the graph would silently compute
   * another model.
   *
   * @param implemented the keys the family reads itself
   */
  static void refuseUnimplemented(JsonDocument doc, String family, Set<String> implemented) {
    for (Map.Entry<String, Predicate<JsonNode>> feature : FEATURE_KEYS.entrySet()) {
      String key = feature.getKey();
      JsonNode n = doc.root().get(key);
      if (n != null && !implemented.contains(key) && !feature.getValue().test(n)) {
        throw doc.error(key, n + " asks for a feature the harness's " + family
            + " graph does not implement (computing without it would be another model)");
      }
    }
  }

  /**
   * {@code layer_types} ({@code sliding_attention} or {@code full_attention} per layer, as
   * transformers' configuration_gemma2.py / configuration_qwen2.py write it): the sliding layers.
   */
  static List<Integer> slidingLayers(JsonDocument doc, int numLayers) {
    JsonNode types = doc.root().get("layer_types");
    if (!types.isArray() || types.size() != numLayers) {
      throw doc.error("layer_types", "must list one of 'sliding_attention' or 'full_attention' for each of the "
          + numLayers + " layers, got " + types);
    }
    List<Integer> sliding = new ArrayList<>();
    for (int i = 0; i < numLayers; i++) {
      String t = types.get(i).asText();
      switch (t) {
        case "sliding_attention" -> sliding.add(i);
        case "full_attention" -> { }
        default -> throw doc.error("layer_types", "layer " + i + " is '" + t
            + "'; supported: sliding_attention, full_attention");
      }
    }
    return sliding;
  }

  /** The std of fresh head weights: transformers' _init_weights draws them from normal(0, initializer_range). */
  static double initializerRange(JsonDocument doc) {
    double initRange = doc.optDouble("initializer_range").orElse(0.02);
    if (!(initRange > 0) || initRange > 1) {
      throw doc.error("initializer_range", "must be in (0, 1], got " + initRange);
    }
    return initRange;
  }

  /** Every dropout probability a config may carry lies in [0, 1). */
  static void checkDropouts(JsonDocument doc) {
    for (String key : List.of("hidden_dropout_prob", "attention_probs_dropout_prob", "attention_dropout")) {
      double d = doc.optDouble(key).orElse(0.0);
      if (!(d >= 0 && d < 1)) {
        throw doc.error(key, "must be in [0, 1), got " + d);
      }
    }
  }
}
