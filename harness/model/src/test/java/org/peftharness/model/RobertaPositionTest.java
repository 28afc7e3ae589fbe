package org.peftharness.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.EncoderModel;
import org.tensorflow.types.TFloat32;

/**
 * A RoBERTa checkpoint built here with random weights (written by our own safetensors writer)
 * differs from BERT only in where positions start: RoBERTa's token t (counting from 0) uses
 * position row pad+1+t. So BERT with the position table shifted by pad+1 rows gives RoBERTa's
 * outputs exactly, and without the shift it does not.
 */
class RobertaPositionTest {
  static final int HIDDEN = 16;
  static final int PAD = 1;

  @TempDir Path dir;

  static Map<String, FloatTensor> randomEncoder(int layers, int vocab, int positions, int inter, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("embeddings.word_embeddings.weight", random(rng, vocab, HIDDEN));
    w.put("embeddings.position_embeddings.weight", random(rng, positions, HIDDEN));
    w.put("embeddings.token_type_embeddings.weight", random(rng, 1, HIDDEN));
    w.put("embeddings.LayerNorm.weight", random(rng, HIDDEN));
    w.put("embeddings.LayerNorm.bias", random(rng, HIDDEN));
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
        w.put(p + m + ".weight", random(rng, HIDDEN, HIDDEN));
        w.put(p + m + ".bias", random(rng, HIDDEN));
      }
      w.put(p + "attention.output.LayerNorm.weight", random(rng, HIDDEN));
      w.put(p + "attention.output.LayerNorm.bias", random(rng, HIDDEN));
      w.put(p + "intermediate.dense.weight", random(rng, inter, HIDDEN));
      w.put(p + "intermediate.dense.bias", random(rng, inter));
      w.put(p + "output.dense.weight", random(rng, HIDDEN, inter));
      w.put(p + "output.dense.bias", random(rng, HIDDEN));
      w.put(p + "output.LayerNorm.weight", random(rng, HIDDEN));
      w.put(p + "output.LayerNorm.bias", random(rng, HIDDEN));
    }
    return w;
  }

  static FloatTensor random(SplittableRandom rng, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextDouble() - 0.5);
    }
    return new FloatTensor(shape, v);
  }

  static String config(String type, int positions) {
    return "{\"model_type\":\"" + type + "\",\"hidden_size\":16,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
        + "\"intermediate_size\":32,\"vocab_size\":50,\"max_position_embeddings\":" + positions + ","
        + "\"type_vocab_size\":1,\"layer_norm_eps\":1e-05,\"pad_token_id\":" + PAD + ",\"hidden_act\":\"gelu\"}";
  }

  Path writeModel(String name, String config, Map<String, FloatTensor> weights) throws IOException {
    Path m = Files.createDirectories(dir.resolve(name));
    Files.writeString(m.resolve("config.json"), config);
    SafetensorsWriter.write(m.resolve("model.safetensors"), weights, Map.of("format", "pt"));
    return m;
  }

  static FloatTensor run(Path model, int[][] ids, int[][] mask) {
    int[][] types = new int[ids.length][ids[0].length];
    try (PretrainedModel m = PretrainedModel.open(model.toString());
        var g = (EncoderModel<TFloat32>) m.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      return g.forward(ids, types, mask);
    }
  }

  @Test
  void robertaEqualsBertWithPositionsShiftedPastThePaddingIndex() throws IOException {
    int positions = 20;
    Map<String, FloatTensor> roberta = randomEncoder(2, 50, positions, 32, 11);
    // the same weights as a BERT whose position row t is RoBERTa's row pad+1+t
    Map<String, FloatTensor> bert = new LinkedHashMap<>(roberta);
    FloatTensor pos = roberta.get("embeddings.position_embeddings.weight");
    int shift = PAD + 1;
    float[] shifted = Arrays.copyOfRange(pos.data(), shift * HIDDEN, positions * HIDDEN);
    bert.put("embeddings.position_embeddings.weight", new FloatTensor(new long[] {positions - shift, HIDDEN}, shifted));
    Path robertaDir = writeModel("roberta", config("roberta", positions), roberta);
    Path bertShifted = writeModel("bert-shifted", config("bert", positions - shift), bert);
    Path bertSame = writeModel("bert-same", config("bert", positions), roberta);

    int[][] ids = {{0, 7, 8, 9, 10, 2}};
    int[][] mask = {{1, 1, 1, 1, 1, 1}};
    FloatTensor r = run(robertaDir, ids, mask);
    FloatTensor b = run(bertShifted, ids, mask);
    FloatTensor unshifted = run(bertSame, ids, mask);
    assertThat(r.data()).containsExactly(b.data());
    assertThat(maxAbsDiff(r, unshifted)).isGreaterThan(1e-3);
  }

  @Test
  void robertaPaddingDoesNotMoveThePositionsOfRealTokens() throws IOException {
    Path robertaDir = writeModel("roberta", config("roberta", 20), randomEncoder(2, 50, 20, 32, 5));
    FloatTensor alone = run(robertaDir, new int[][] {{0, 7, 8, 2}}, new int[][] {{1, 1, 1, 1}});
    FloatTensor padded = run(robertaDir, new int[][] {{0, 7, 8, 2, PAD, PAD}}, new int[][] {{1, 1, 1, 1, 0, 0}});
    for (int i = 0; i < 4 * HIDDEN; i++) {
      assertThat((double) Math.abs(alone.data()[i] - padded.data()[i])).isLessThan(1e-5);
    }
  }

  static double maxAbsDiff(FloatTensor a, FloatTensor b) {
    double m = 0;
    for (int i = 0; i < a.size(); i++) {
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m;
  }
}
