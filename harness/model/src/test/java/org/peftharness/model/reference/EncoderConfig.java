package org.peftharness.model.reference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a BERT or RoBERTa forward needs from config.json, with the defaults of transformers
 * configuration_bert.py BertConfig.__init__ and configuration_roberta.py RobertaConfig.__init__
 * (pad_token_id 0 and 1; layer_norm_eps 1e-12 for both).
 *
 * @param robertaPositions position ids count non-padding tokens from {@code padTokenId + 1}
 *     (RoBERTa, XLM-RoBERTa) instead of from 0 (BERT)
 */
public record EncoderConfig(
    String modelType, int hidden, int layers, int heads, int intermediate, int vocab, int typeVocab,
    double eps, String activation, int padTokenId, boolean robertaPositions) {

  public int headDim() {
    return hidden / heads;
  }

  public static EncoderConfig fromJson(JsonNode c) {
    String type = ConfigJson.text(c, "model_type", null);
    boolean roberta = switch (type) {
      case "bert" -> false;
      case "roberta", "xlm-roberta" -> true;
      default -> throw new IllegalArgumentException("no encoder reference for model_type '" + type + "'");
    };
    String positions = ConfigJson.text(c, "position_embedding_type", "absolute");
    if (!positions.equals("absolute")) {
      throw new IllegalArgumentException("the reference implements absolute positions only, not '" + positions + "'");
    }
    return new EncoderConfig(type, ConfigJson.integer(c, "hidden_size", null),
        ConfigJson.integer(c, "num_hidden_layers", null), ConfigJson.integer(c, "num_attention_heads", null),
        ConfigJson.integer(c, "intermediate_size", null), ConfigJson.integer(c, "vocab_size", null),
        ConfigJson.integer(c, "type_vocab_size", 2), ConfigJson.number(c, "layer_norm_eps", 1e-12),
        ConfigJson.text(c, "hidden_act", "gelu"), ConfigJson.integer(c, "pad_token_id", roberta ? 1 : 0), roberta);
  }
}
