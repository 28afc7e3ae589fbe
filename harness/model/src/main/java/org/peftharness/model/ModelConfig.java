package org.peftharness.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.json.JsonDocument;

/**
 * The architecture facts of a Hugging Face {@code config.json}, validated: every field a graph
 * needs is present, typed, and consistent (heads divide the hidden size, query heads are a
 * multiple of key/value heads), else an error names the file, line and field.
 */
public record ModelConfig(
    ModelFamily family,
    String modelType,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int intermediateSize,
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    double normEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    int padTokenId,
    int bosTokenId,
    int eosTokenId,
    String hiddenAct,
    boolean tieWordEmbeddings,
    double hiddenDropout,
    double attentionDropout,
    double initializerRange,
    Double classifierDropout) {

  private static final Map<String, ModelFamily> TYPES = Map.of(
      "bert", ModelFamily.BERT,
      "roberta", ModelFamily.ROBERTA,
      "xlm-roberta", ModelFamily.ROBERTA,
      "llama", ModelFamily.LLAMA,
      "mistral", ModelFamily.LLAMA);

  public static ModelConfig read(Path configJson) {
    return from(JsonDocument.read(configJson));
  }

  public static ModelConfig from(JsonDocument doc) {
    String type = doc.requireString("model_type").toLowerCase(Locale.ROOT);
    ModelFamily family = TYPES.get(type);
    if (family == null) {
      throw doc.error("model_type", "unsupported model type '" + type + "' (supported: "
          + String.join(", ", new java.util.TreeSet<>(TYPES.keySet())) + ")");
    }
    int hidden = doc.positiveInt("hidden_size");
    int layers = doc.positiveInt("num_hidden_layers");
    int heads = doc.positiveInt("num_attention_heads");
    int inter = doc.positiveInt("intermediate_size");
    int vocab = doc.positiveInt("vocab_size");
    int maxPos = doc.optInt("max_position_embeddings").orElse(family.isEncoder() ? 512 : 4096);
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
    if (family.isEncoder() && headDim * heads != hidden) {
      throw doc.error("num_attention_heads", heads + " heads do not divide hidden_size " + hidden);
    }
    if (!family.isEncoder() && headDim % 2 != 0) {
      throw doc.error("head_dim", "rotary embeddings need an even head dimension, got " + headDim);
    }
    String act = doc.optString(family.isEncoder() ? "hidden_act" : "hidden_act").orElse(family.isEncoder() ? "gelu" : "silu");
    if (family.isEncoder() && !act.equals("gelu")) {
      throw doc.error("hidden_act", "only exact 'gelu' is supported for encoders, got '" + act + "'");
    }
    if (!family.isEncoder() && !act.equals("silu")) {
      throw doc.error("hidden_act", "only 'silu' is supported for decoders, got '" + act + "'");
    }
    double eps = family.isEncoder() ? doc.optDouble("layer_norm_eps").orElse(1e-12)
        : doc.optDouble("rms_norm_eps").orElse(1e-6);
    int typeVocab = family.isEncoder() ? doc.optInt("type_vocab_size").orElse(2) : 0;
    int pad = doc.optInt("pad_token_id").orElse(family == ModelFamily.ROBERTA ? 1 : 0);
    int bos = doc.optInt("bos_token_id").orElse(-1);
    int eos = doc.optInt("eos_token_id").orElse(-1);
    double theta = doc.optDouble("rope_theta").orElse(10000.0);
    RopeScaling scaling = family.isEncoder() ? null : ropeScaling(doc);
    if (family.isEncoder() && doc.has("position_embedding_type")
        && !doc.requireString("position_embedding_type").equals("absolute")) {
      throw doc.error("position_embedding_type", "only 'absolute' positions are supported");
    }
    boolean tie = doc.optBoolean("tie_word_embeddings").orElse(family.isEncoder());
    double hiddenDrop = doc.optDouble("hidden_dropout_prob").orElse(0.0);
    double attnDrop = doc.optDouble(family.isEncoder() ? "attention_probs_dropout_prob" : "attention_dropout").orElse(0.0);
    // HF _init_weights draws fresh heads from normal(0, initializer_range); the classifier's dropout is
    // classifier_dropout when set (null in most configs), else the hidden dropout
    double initRange = doc.optDouble("initializer_range").orElse(0.02);
    if (!(initRange > 0) || initRange > 1) {
      throw doc.error("initializer_range", "must be in (0, 1], got " + initRange);
    }
    Double classifierDrop = family.isEncoder() ? doc.optDouble("classifier_dropout").orElse(null) : null;
    if (classifierDrop != null && !(classifierDrop >= 0 && classifierDrop < 1)) {
      throw doc.error("classifier_dropout", "must be in [0, 1), got " + classifierDrop);
    }
    for (String key : List.of("hidden_dropout_prob", "attention_probs_dropout_prob", "attention_dropout")) {
      double d = doc.optDouble(key).orElse(0.0);
      if (!(d >= 0 && d < 1)) {
        throw doc.error(key, "must be in [0, 1), got " + d);
      }
    }
    return new ModelConfig(family, type, hidden, layers, heads, kvHeads, headDim, inter, vocab, maxPos,
        typeVocab, eps, theta, scaling, pad, bos, eos, act, tie, hiddenDrop, attnDrop, initRange, classifierDrop);
  }

  private static RopeScaling ropeScaling(JsonDocument doc) {
    if (!doc.has("rope_scaling")) {
      return null;
    }
    JsonNode s = doc.root().get("rope_scaling");
    String kind = Optional.ofNullable(s.get("rope_type")).or(() -> Optional.ofNullable(s.get("type")))
        .map(JsonNode::asText).orElse("");
    if (!kind.equals("llama3")) {
      throw doc.error("rope_scaling", "unsupported rope scaling '" + kind + "' (supported: llama3)");
    }
    try {
      return new RopeScaling(num(s, "factor"), num(s, "low_freq_factor"), num(s, "high_freq_factor"),
          (int) num(s, "original_max_position_embeddings"));
    } catch (IllegalArgumentException e) {
      throw doc.error("rope_scaling", e.getMessage());
    }
  }

  private static double num(JsonNode s, String key) {
    JsonNode n = s.get(key);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException("'" + key + "' must be a number");
    }
    return n.asDouble();
  }

  /** Key/value projection width: heads sharing keys in grouped-query attention. */
  public int kvDim() {
    return numKvHeads * headDim;
  }

  public int qDim() {
    return numHeads * headDim;
  }
}
