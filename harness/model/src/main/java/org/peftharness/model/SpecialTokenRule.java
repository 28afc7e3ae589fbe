package org.peftharness.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.json.JsonDocument;

/**
 * Which special tokens frame a text, where {@code tokenizer_config.json} decides it rather than
 * {@code tokenizer.json}'s post-processor. transformers' Llama and Gemma fast tokenizers rebuild
 * their post-processor from {@code add_bos_token} (default true) and {@code add_eos_token}
 * (default false) when they load (tokenization_llama_fast.py {@code update_post_processor},
 * tokenization_gemma_fast.py likewise), so a config that switches BOS off, or EOS on, changes the
 * ids a model was trained with. Every other tokenizer class uses the post-processor as written.
 *
 * @param bos the BOS token's text, or null when none is added
 * @param eos the EOS token's text, or null when none is added
 */
public record SpecialTokenRule(String bos, String eos) {
  /** The classes whose fast tokenizer rebuilds its post-processor from the two flags. */
  static final Set<String> FLAG_DRIVEN = Set.of("LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer",
      "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast");

  /**
   * The rule of the {@code tokenizer_config.json} beside {@code tokenizerJson}; empty when there is
   * none or its class follows the post-processor.
   */
  public static Optional<SpecialTokenRule> beside(Path tokenizerJson) {
    Path file = tokenizerJson.resolveSibling("tokenizer_config.json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonDocument doc = JsonDocument.read(file);
    if (!FLAG_DRIVEN.contains(doc.optString("tokenizer_class").orElse(""))) {
      return Optional.empty();
    }
    boolean addBos = flag(doc, "add_bos_token", true);
    boolean addEos = flag(doc, "add_eos_token", false);
    return Optional.of(new SpecialTokenRule(addBos ? token(doc, "bos_token") : null, addEos ? token(doc, "eos_token") : null));
  }

  private static boolean flag(JsonDocument doc, String key, boolean dflt) {
    JsonNode v = doc.root().get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw doc.error(key, "must be true or false");
    }
    return v.booleanValue();
  }

  /** A token given as text or as an AddedToken object ({@code {"content": ...}}). */
  private static String token(JsonDocument doc, String key) {
    JsonNode v = doc.root().get(key);
    JsonNode text = v != null && v.isObject() ? v.get("content") : v;
    if (text == null || !text.isTextual() || text.textValue().isEmpty()) {
      throw doc.error(key, "is needed (the " + (key.startsWith("bos") ? "add_bos_token" : "add_eos_token")
          + " flag asks for it) and must be a token's text");
    }
    return text.textValue();
  }
}
