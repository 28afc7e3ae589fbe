package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;

/**
 * Every kind of broken model folder the harness may be handed: each must end with exit code 2 and
 * one line naming the file (and line or tensor) and the fault, never a stack trace.
 */
class MalformedModelCliTest {
  @TempDir Path dir;

  static final String GOOD_CONFIG = "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 8,\n  \"intermediate_size\": 16,\n"
      + "  \"num_hidden_layers\": 1,\n  \"num_attention_heads\": 2,\n  \"num_key_value_heads\": 2,\n"
      + "  \"vocab_size\": 10,\n  \"rms_norm_eps\": 1e-5\n}\n";

  /** A case: what goes into config.json and model.safetensors, and the fault expected in the message. */
  record Case(String name, String config, byte[] weights, String file, String fault) {
    @Override
    public String toString() {
      return name;
    }
  }

  static byte[] goodWeights(int hidden) throws IOException {
    Path tmp = Files.createTempFile("w", ".safetensors");
    Map<String, FloatTensor> w = new java.util.LinkedHashMap<>();
    w.put("model.embed_tokens.weight", FloatTensor.zeros(10, hidden));
    w.put("model.layers.0.input_layernorm.weight", FloatTensor.zeros(hidden));
    for (String m : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
      w.put("model.layers.0.self_attn." + m + ".weight", FloatTensor.zeros(hidden, hidden));
    }
    w.put("model.layers.0.post_attention_layernorm.weight", FloatTensor.zeros(hidden));
    w.put("model.layers.0.mlp.gate_proj.weight", FloatTensor.zeros(16, hidden));
    w.put("model.layers.0.mlp.up_proj.weight", FloatTensor.zeros(16, hidden));
    w.put("model.layers.0.mlp.down_proj.weight", FloatTensor.zeros(hidden, 16));
    w.put("model.norm.weight", FloatTensor.zeros(hidden));
    w.put("lm_head.weight", FloatTensor.zeros(10, hidden));
    SafetensorsWriter.write(tmp, w, Map.of());
    byte[] b = Files.readAllBytes(tmp);
    Files.delete(tmp);
    return b;
  }

  /** The good config with one more line (line 9) before rms_norm_eps. */
  static String insert(String keyValue) {
    return GOOD_CONFIG.replace("\"rms_norm_eps\"", keyValue + ",\n  \"rms_norm_eps\"");
  }

  static byte[] withHeaderLength(byte[] file, long length) {
    byte[] copy = file.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
    return copy;
  }

  static byte[] replaceInHeader(byte[] file, String from, String to) {
    String s = new String(file, StandardCharsets.ISO_8859_1);
    if (from.length() != to.length()) {
      throw new IllegalArgumentException("keep the header length");
    }
    return s.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.ISO_8859_1);
  }

  static Stream<Arguments> cases() throws IOException {
    byte[] good = goodWeights(8);
    return Stream.of(
        new Case("config not JSON", "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 8,,\n}", good, "config.json:3", "not valid JSON"),
        new Case("config missing field", GOOD_CONFIG.replace("  \"vocab_size\": 10,\n", ""), good, "config.json", "vocab_size: required field is missing"),
        new Case("config unsupported model type", GOOD_CONFIG.replace("llama", "gpt2"), good, "config.json:2", "model_type: unsupported model type 'gpt2'"),
        new Case("config wrong type", GOOD_CONFIG.replace("\"hidden_size\": 8", "\"hidden_size\": \"8\""), good, "config.json:3", "hidden_size: expected an integer"),
        new Case("config negative size", GOOD_CONFIG.replace("\"num_hidden_layers\": 1", "\"num_hidden_layers\": -1"), good, "config.json:5", "num_hidden_layers: must be positive"),
        new Case("config kv heads do not divide heads", GOOD_CONFIG.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"), good, "config.json:7", "num_key_value_heads: 3 must be positive and divide"),
        new Case("config heads do not divide hidden", GOOD_CONFIG.replace("\"num_attention_heads\": 2,\n  \"num_key_value_heads\": 2", "\"num_attention_heads\": 3,\n  \"num_key_value_heads\": 3"), good, "config.json:6", "num_attention_heads: 3 does not divide hidden_size 8"),
        new Case("config unknown activation", GOOD_CONFIG.replace("\"rms_norm_eps\"", "\"hidden_act\": \"relu\",\n  \"rms_norm_eps\""), good, "config.json:9", "hidden_act: only 'silu'"),
        new Case("config softcap on a llama", insert("\"attn_logit_softcapping\": 50.0"), good, "config.json:9",
            "attn_logit_softcapping: 50.0 asks for a feature the harness's Llama graph does not implement"),
        new Case("config attention bias on a llama", insert("\"attention_bias\": true"), good, "config.json:9",
            "attention_bias: true asks for a feature the harness's Llama graph does not implement"),
        new Case("config qwen2 window switch on a mistral", insert("\"use_sliding_window\": true").replace("llama", "mistral"),
            good, "config.json:9", "use_sliding_window: true asks for a feature the harness's Llama graph does not implement"),
        new Case("config unsupported rope scaling", insert("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}"), good,
            "config.json:9", "rope_scaling: unsupported rope scaling 'yarn'"),
        new Case("config gemma2 activation", insert("\"hidden_activation\": \"relu\"").replace("llama", "gemma2"), good,
            "config.json:9", "hidden_activation: only 'gelu_pytorch_tanh' is supported for Gemma-2"),
        new Case("config qwen2 layer types", insert("\"use_sliding_window\": true,\n  \"layer_types\": [\"sliding_attention\"]")
            .replace("\"num_hidden_layers\": 1", "\"num_hidden_layers\": 2").replace("llama", "qwen2"), good,
            "config.json:10", "layer_types: must list one of 'sliding_attention' or 'full_attention' for each of the 2 layers"),
        new Case("config is an array", "[1, 2]", good, "config.json:1", "expected a JSON object"),
        new Case("weights shape differs from config", GOOD_CONFIG.replace("\"intermediate_size\": 16", "\"intermediate_size\": 12"), good, "tensor 'model.layers.0.mlp.gate_proj.weight'", "config.json implies [12, 8]"),
        new Case("weights tensor missing", GOOD_CONFIG, replaceInHeader(good, "lm_head.weight", "lm_head.wXight"), "tensor 'lm_head.weight'", "missing from the checkpoint"),
        new Case("safetensors header beyond file", GOOD_CONFIG, withHeaderLength(good, 1L << 20), "model.safetensors", "runs past the end of the file"),
        new Case("safetensors unknown dtype", GOOD_CONFIG, replaceInHeader(good, "\"F32\"", "\"Q32\""), "model.safetensors", "unknown dtype 'Q32'"),
        new Case("safetensors truncated", GOOD_CONFIG, java.util.Arrays.copyOf(good, good.length - 7), "model.safetensors", "lie outside the data area"),
        new Case("safetensors empty file", GOOD_CONFIG, new byte[0], "model.safetensors", "shorter than the 8-byte header length"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exitsWithCode2AndNamesFileAndFault(Case c) throws IOException {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("config.json"), c.config());
    Files.write(model.resolve("model.safetensors"), c.weights());
    CliRunner r = CliRunner.run("inspect", "forward", "--model", model.toString(), "--ids", "1,2,3");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains(c.file()).contains(c.fault());
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(r.err().strip().lines().count()).isEqualTo(1);
  }
}
