package org.peftharness.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.peftharness.testing.SharedFiles;
import org.peftharness.train.SequenceClassifier;
import org.tensorflow.Result;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Full fine-tuning's checkpoint has exactly the keys of transformers' task model, so
 * {@code from_pretrained} reports no missing and no unexpected key: BERT (with a checkpoint pooler
 * and with a fresh one), RoBERTa, and both tiny Llamas (untied and tied head).
 */
class FullExportKeysTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"bert", "roberta"})
  void encoders(String type) throws IOException {
    for (boolean pooler : new boolean[] {true, false}) {
      Path model = tinyEncoder(type, pooler);
      assertThat(exportedKeys(model.toString(), true)).as("%s, pooler in the checkpoint: %s", type, pooler)
          .containsExactlyInAnyOrderElementsOf(TransformersKeys.forSequenceClassification(config(model)));
    }
  }

  @Test
  void embeddedMiniLm() throws IOException {
    JsonNode config = JsonDocument.MAPPER.readTree(
        FullExportKeysTest.class.getResourceAsStream("/org/peftharness/model/minilm/config.json"));
    assertThat(exportedKeys(PretrainedModel.MINILM, true))
        .containsExactlyInAnyOrderElementsOf(TransformersKeys.forSequenceClassification(config));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama-gqa-tied"})
  void llamas(String fixture) throws IOException {
    Path model = SharedFiles.fixture(fixture);
    assertThat(exportedKeys(model.toString(), false))
        .containsExactlyInAnyOrderElementsOf(TransformersKeys.llamaForCausalLm(config(model)));
  }

  /** What the cell hands the exporter under full fine-tuning: every model tensor and every head tensor. */
  private Set<String> exportedKeys(String spec, boolean encoder) throws IOException {
    Path out = dir.resolve("export-" + Math.abs(spec.hashCode()));
    try (PretrainedModel pm = PretrainedModel.open(spec);
        GraphModel<TFloat32> graph = pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      Map<String, FloatTensor> head = new LinkedHashMap<>();
      if (encoder) {
        @SuppressWarnings("unchecked")
        SequenceClassifier<TFloat32> h = SequenceClassifier.attach((EncoderModel<TFloat32>) graph, pm.weights(), 2,
            new SeedStreams(1));
        h.variables().forEach((k, v) -> head.put(k, fetch(graph, v)));
      }
      Map<String, FloatTensor> body = new LinkedHashMap<>();
      graph.parameters().forEach((k, p) -> body.put(k, fetch(graph, p.trainable())));
      AdapterFolder.write(out, MethodConfig.fromMap(Map.of("method", "full"), "test"), null, graph.session(), pm.config(),
          pm.loadableName(), head, body);
    }
    try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
      return f.names();
    }
  }

  private static FloatTensor fetch(GraphModel<TFloat32> graph, Variable<TFloat32> v) {
    try (Result r = graph.session().runner().fetch(v).run()) {
      return HostTensors.toHost(r.get(0));
    }
  }

  private static JsonNode config(Path model) throws IOException {
    return JsonDocument.MAPPER.readTree(Files.readString(model.resolve("config.json")));
  }

  /** A random two-layer checkpoint saved as the bare model (no task prefix), as AutoModel saves it. */
  private Path tinyEncoder(String type, boolean pooler) throws IOException {
    int h = 8;
    SplittableRandom rng = new SplittableRandom(5);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("embeddings.word_embeddings.weight", random(rng, 30, h));
    w.put("embeddings.position_embeddings.weight", random(rng, 20, h));
    w.put("embeddings.token_type_embeddings.weight", random(rng, 2, h));
    w.put("embeddings.LayerNorm.weight", random(rng, h));
    w.put("embeddings.LayerNorm.bias", random(rng, h));
    for (int i = 0; i < 2; i++) {
      String p = "encoder.layer." + i + ".";
      for (String m : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
        w.put(p + m + ".weight", random(rng, h, h));
        w.put(p + m + ".bias", random(rng, h));
      }
      w.put(p + "intermediate.dense.weight", random(rng, 2 * h, h));
      w.put(p + "intermediate.dense.bias", random(rng, 2 * h));
      w.put(p + "output.dense.weight", random(rng, h, 2 * h));
      w.put(p + "output.dense.bias", random(rng, h));
      for (String n : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
        w.put(p + n + ".weight", random(rng, h));
        w.put(p + n + ".bias", random(rng, h));
      }
    }
    if (pooler) {
      w.put("pooler.dense.weight", random(rng, h, h));
      w.put("pooler.dense.bias", random(rng, h));
    }
    Path m = Files.createDirectories(dir.resolve(type + "-" + pooler));
    Files.writeString(m.resolve("config.json"), "{\"model_type\":\"" + type + "\",\"hidden_size\":" + h
        + ",\"num_hidden_layers\":2,\"num_attention_heads\":2,\"intermediate_size\":" + 2 * h
        + ",\"vocab_size\":30,\"max_position_embeddings\":20,\"type_vocab_size\":2}");
    SafetensorsWriter.write(m.resolve("model.safetensors"), w, Map.of("format", "pt"));
    return m;
  }

  private static FloatTensor random(SplittableRandom rng, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return new FloatTensor(shape, v);
  }
}
