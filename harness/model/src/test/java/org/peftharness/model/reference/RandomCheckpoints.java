package org.peftharness.model.reference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;

/**
 * Seeded random checkpoints in Hugging Face layout (config.json, model.safetensors) whose tensor
 * names and shapes follow a reference config. Projections draw from U(-sqrt(3/in), sqrt(3/in)) so
 * each output has unit variance, norm weights lie around their neutral value (1, or 0 under
 * Gemma's {@code (1 + w)}), biases around 0: every feature moves the output visibly.
 */
final class RandomCheckpoints {
  private RandomCheckpoints() {}

  static Map<String, FloatTensor> decoder(DecoderConfig c, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    int h = c.hidden();
    int q = c.heads() * c.headDim();
    int kv = c.kvHeads() * c.headDim();
    float normCentre = c.gemma() ? 0f : 1f;
    w.put("model.embed_tokens.weight", uniform(rng, 1.0, 0f, c.vocab(), h));
    for (int l = 0; l < c.layers(); l++) {
      String p = "model.layers." + l + ".";
      w.put(p + "input_layernorm.weight", uniform(rng, 0.2, normCentre, h));
      w.put(p + "post_attention_layernorm.weight", uniform(rng, 0.2, normCentre, h));
      if (c.sandwichNorms()) {
        w.put(p + "pre_feedforward_layernorm.weight", uniform(rng, 0.2, normCentre, h));
        w.put(p + "post_feedforward_layernorm.weight", uniform(rng, 0.2, normCentre, h));
      }
      w.put(p + "self_attn.q_proj.weight", projection(rng, q, h));
      w.put(p + "self_attn.k_proj.weight", projection(rng, kv, h));
      w.put(p + "self_attn.v_proj.weight", projection(rng, kv, h));
      if (c.qkvBias()) {
        w.put(p + "self_attn.q_proj.bias", uniform(rng, 0.2, 0f, q));
        w.put(p + "self_attn.k_proj.bias", uniform(rng, 0.2, 0f, kv));
        w.put(p + "self_attn.v_proj.bias", uniform(rng, 0.2, 0f, kv));
      }
      w.put(p + "self_attn.o_proj.weight", projection(rng, h, q));
      w.put(p + "mlp.gate_proj.weight", projection(rng, c.intermediate(), h));
      w.put(p + "mlp.up_proj.weight", projection(rng, c.intermediate(), h));
      w.put(p + "mlp.down_proj.weight", projection(rng, h, c.intermediate()));
    }
    w.put("model.norm.weight", uniform(rng, 0.2, normCentre, h));
    if (!c.tiedHead()) {
      w.put("lm_head.weight", projection(rng, c.vocab(), h));
    }
    return w;
  }

  static Map<String, FloatTensor> encoder(EncoderConfig c, int maxPositions, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    int h = c.hidden();
    w.put("embeddings.word_embeddings.weight", uniform(rng, 1.0, 0f, c.vocab(), h));
    w.put("embeddings.position_embeddings.weight", uniform(rng, 1.0, 0f, maxPositions, h));
    w.put("embeddings.token_type_embeddings.weight", uniform(rng, 1.0, 0f, c.typeVocab(), h));
    layerNorm(w, rng, "embeddings.LayerNorm", h);
    for (int l = 0; l < c.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
        w.put(p + m + ".weight", projection(rng, h, h));
        w.put(p + m + ".bias", uniform(rng, 0.2, 0f, h));
      }
      layerNorm(w, rng, p + "attention.output.LayerNorm", h);
      w.put(p + "intermediate.dense.weight", projection(rng, c.intermediate(), h));
      w.put(p + "intermediate.dense.bias", uniform(rng, 0.2, 0f, c.intermediate()));
      w.put(p + "output.dense.weight", projection(rng, h, c.intermediate()));
      w.put(p + "output.dense.bias", uniform(rng, 0.2, 0f, h));
      layerNorm(w, rng, p + "output.LayerNorm", h);
    }
    return w;
  }

  /** Writes config.json and model.safetensors into {@code dir}, which it returns. */
  static Path write(Path dir, ObjectNode config, Map<String, FloatTensor> weights) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("config.json"), JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config));
      SafetensorsWriter.write(dir.resolve("model.safetensors"), weights, Map.of("format", "pt"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void layerNorm(Map<String, FloatTensor> w, SplittableRandom rng, String name, int width) {
    w.put(name + ".weight", uniform(rng, 0.2, 1f, width));
    w.put(name + ".bias", uniform(rng, 0.2, 0f, width));
  }

  private static FloatTensor projection(SplittableRandom rng, int out, int in) {
    return uniform(rng, Math.sqrt(3.0 / in), 0f, out, in);
  }

  private static FloatTensor uniform(SplittableRandom rng, double halfWidth, float centre, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = centre + (float) ((rng.nextDouble() * 2 - 1) * halfWidth);
    }
    return new FloatTensor(shape, v);
  }
}
