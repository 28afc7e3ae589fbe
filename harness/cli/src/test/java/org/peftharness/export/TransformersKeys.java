package org.peftharness.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The state-dict keys transformers' task models have, written from their modules (not from the
 * harness's blueprints), so an exported checkpoint can be checked for missing and unexpected keys:
 * modeling_bert.py BertForSequenceClassification (bert: BertModel with a pooler, then classifier),
 * modeling_roberta.py RobertaForSequenceClassification (roberta: RobertaModel without a pooler,
 * classifier: RobertaClassificationHead) and modeling_llama.py LlamaForCausalLM (model, lm_head,
 * which save_pretrained leaves out when tied to the embeddings). Non-persistent buffers
 * (position_ids, rotary inv_freq) are not in a state dict.
 */
final class TransformersKeys {
  private TransformersKeys() {}

  static Set<String> forSequenceClassification(JsonNode config) {
    String type = config.get("model_type").asText();
    boolean roberta = type.equals("roberta") || type.equals("xlm-roberta");
    String p = roberta ? "roberta." : "bert.";
    Set<String> keys = new LinkedHashSet<>();
    for (String e : new String[] {"word_embeddings", "position_embeddings", "token_type_embeddings"}) {
      keys.add(p + "embeddings." + e + ".weight");
    }
    weightAndBias(keys, p + "embeddings.LayerNorm");
    for (int i = 0; i < config.get("num_hidden_layers").asInt(); i++) {
      String l = p + "encoder.layer." + i + ".";
      for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
          "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"}) {
        weightAndBias(keys, l + m);
      }
    }
    if (roberta) {
      weightAndBias(keys, "classifier.dense");
      weightAndBias(keys, "classifier.out_proj");
    } else {
      weightAndBias(keys, p + "pooler.dense");
      weightAndBias(keys, "classifier");
    }
    return keys;
  }

  static Set<String> llamaForCausalLm(JsonNode config) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add("model.embed_tokens.weight");
    for (int i = 0; i < config.get("num_hidden_layers").asInt(); i++) {
      String l = "model.layers." + i + ".";
      for (String m : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
          "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "input_layernorm", "post_attention_layernorm"}) {
        keys.add(l + m + ".weight");
      }
    }
    keys.add("model.norm.weight");
    if (!config.path("tie_word_embeddings").asBoolean(true)) {
      keys.add("lm_head.weight");
    }
    return keys;
  }

  private static void weightAndBias(Set<String> keys, String module) {
    keys.add(module + ".weight");
    keys.add(module + ".bias");
  }
}
