package org.peftharness.model.arch;

import java.util.List;
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
