package org.peftharness.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;

/** Random BERT/RoBERTa checkpoints written to a folder, for tests that train or differentiate. */
final class TinyModels {
  static final int HIDDEN = 16;
  static final int VOCAB = 50;
  static final int POSITIONS = 40;

  private TinyModels() {}

  static Path encoder(Path dir, String type, int layers, double hiddenDropout, double attentionDropout, boolean pooler, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("embeddings.word_embeddings.weight", random(rng, 1.0, VOCAB, HIDDEN));
    w.put("embeddings.position_embeddings.weight", random(rng, 1.0, POSITIONS, HIDDEN));
    w.put("embeddings.token_type_embeddings.weight", random(rng, 1.0, 2, HIDDEN));
    w.put("embeddings.LayerNorm.weight", offset(random(rng, 0.2, HIDDEN), 1f));
    w.put("embeddings.LayerNorm.bias", random(rng, 0.2, HIDDEN));
    int inter = 2 * HIDDEN;
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
        w.put(p + m + ".weight", random(rng, 0.5, HIDDEN, HIDDEN));
        w.put(p + m + ".bias", random(rng, 0.2, HIDDEN));
      }
      w.put(p + "attention.output.LayerNorm.weight", offset(random(rng, 0.2, HIDDEN), 1f));
      w.put(p + "attention.output.LayerNorm.bias", random(rng, 0.2, HIDDEN));
      w.put(p + "intermediate.dense.weight", random(rng, 0.5, inter, HIDDEN));
      w.put(p + "intermediate.dense.bias", random(rng, 0.2, inter));
      w.put(p + "output.dense.weight", random(rng, 0.5, HIDDEN, inter));
      w.put(p + "output.dense.bias", random(rng, 0.2, HIDDEN));
      w.put(p + "output.LayerNorm.weight", offset(random(rng, 0.2, HIDDEN), 1f));
      w.put(p + "output.LayerNorm.bias", random(rng, 0.2, HIDDEN));
    }
    if (pooler) {
      w.put("pooler.dense.weight", random(rng, 0.5, HIDDEN, HIDDEN));
      w.put("pooler.dense.bias", random(rng, 0.2, HIDDEN));
    }
    String config = "{\"model_type\":\"" + type + "\",\"hidden_size\":" + HIDDEN + ",\"num_hidden_layers\":" + layers
        + ",\"num_attention_heads\":4,\"intermediate_size\":" + inter + ",\"vocab_size\":" + VOCAB
        + ",\"max_position_embeddings\":" + POSITIONS + ",\"type_vocab_size\":2,\"layer_norm_eps\":1e-05,"
        + "\"pad_token_id\":1,\"hidden_act\":\"gelu\",\"hidden_dropout_prob\":" + hiddenDropout
        + ",\"attention_probs_dropout_prob\":" + attentionDropout + "}";
    try {
      Path m = Files.createDirectories(dir.resolve(type + "-" + seed));
      Files.writeString(m.resolve("config.json"), config);
      SafetensorsWriter.write(m.resolve("model.safetensors"), w, Map.of("format", "pt"));
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static FloatTensor random(SplittableRandom rng, double scale, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((rng.nextDouble() - 0.5) * 2 * scale);
    }
    return new FloatTensor(shape, v);
  }

  static FloatTensor offset(FloatTensor t, float by) {
    float[] v = t.data().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] += by;
    }
    return new FloatTensor(t.shape(), v);
  }
}
