package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;

/**
 * BOS and EOS as transformers frames a text: Llama and Gemma tokenizers follow
 * tokenizer_config.json's add_bos_token / add_eos_token, other classes the post-processor.
 */
class SpecialTokenRuleTest {
  @TempDir Path dir;

  /** A character-level tokenizer.json whose post-processor adds {@code <s>} (id 1), as the tiny fixtures' does. */
  private Path tokenizer() throws IOException {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    String[] special = {"<unk>", "<s>", "</s>", "<pad>"};
    for (String s : special) {
      vocab.put(s, vocab.size());
    }
    for (char c = 'a'; c <= 'z'; c++) {
      vocab.put(String.valueOf(c), vocab.size());
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("version", "1.0");
    json.put("added_tokens", IntStream.range(0, 4).mapToObj(i -> Map.of("id", i, "content", special[i],
        "single_word", false, "lstrip", false, "rstrip", false, "normalized", false, "special", true)).toList());
    json.put("normalizer", null);
    json.put("pre_tokenizer", Map.of("type", "Split", "pattern", Map.of("Regex", "[\\s\\S]"), "behavior", "Isolated", "invert", false));
    json.put("post_processor", Map.of("type", "TemplateProcessing",
        "single", List.of(Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 0)), Map.of("Sequence", Map.of("id", "A", "type_id", 0))),
        "pair", List.of(Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 0)), Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
            Map.of("Sequence", Map.of("id", "B", "type_id", 1))),
        "special_tokens", Map.of("<s>", Map.of("id", "<s>", "ids", List.of(1), "tokens", List.of("<s>")))));
    json.put("decoder", Map.of("type", "Fuse"));
    json.put("model", Map.of("type", "WordLevel", "vocab", vocab, "unk_token", "<unk>"));
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, JsonDocument.MAPPER.writeValueAsString(json));
    return file;
  }

  private int[] ids(String config, String text) throws IOException {
    Path t = tokenizer();
    if (config != null) {
      Files.writeString(dir.resolve("tokenizer_config.json"), config);
    }
    try (TextTokenizer tok = TextTokenizer.open(t)) {
      return tok.encode(text).ids();
    }
  }

  @Test
  void withoutAConfigThePostProcessorDecides() throws IOException {
    assertThat(ids(null, "ab")).containsExactly(1, 4, 5);
  }

  @Test
  void aLlamaConfigThatSwitchesBosOffIsObeyed() throws IOException {
    assertThat(ids("{\"tokenizer_class\": \"LlamaTokenizerFast\", \"add_bos_token\": false, \"bos_token\": \"<s>\"}", "ab"))
        .containsExactly(4, 5);
  }

  @Test
  void aGemmaConfigThatAddsEosGetsBothAsTransformersRebuildsTheTemplate() throws IOException {
    assertThat(ids("{\"tokenizer_class\": \"GemmaTokenizer\", \"add_eos_token\": true,"
        + " \"bos_token\": {\"content\": \"<s>\"}, \"eos_token\": \"</s>\"}", "ab")).containsExactly(1, 4, 5, 2);
  }

  @Test
  void anotherTokenizerClassKeepsThePostProcessor() throws IOException {
    // e.g. Llama 3 and Qwen2 ship PreTrainedTokenizerFast / Qwen2TokenizerFast: the flags are not read
    assertThat(ids("{\"tokenizer_class\": \"PreTrainedTokenizerFast\", \"add_bos_token\": false}", "ab")).containsExactly(1, 4, 5);
  }

  @Test
  void aSpecialTokenOutsideTheVocabularyIsAnInputError() throws IOException {
    Path t = tokenizer();
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"tokenizer_class\": \"LlamaTokenizerFast\", \"bos_token\": \"<bos>\"}");
    assertThatThrownBy(() -> TextTokenizer.open(t).close()).isInstanceOf(InvalidInputException.class).hasMessageContaining("<bos>");
  }
}
