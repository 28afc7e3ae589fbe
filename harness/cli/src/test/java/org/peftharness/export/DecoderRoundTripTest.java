package org.peftharness.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsCheckpoint;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.peftharness.model.reference.DecoderConfig;
import org.peftharness.model.reference.DecoderReference;
import org.peftharness.model.reference.ReferenceWeights;
import org.peftharness.testing.SharedFiles;
import org.peftharness.train.CausalLmLoss;
import org.peftharness.train.TrainConfig;
import org.peftharness.train.TrainListener;
import org.peftharness.train.Trainer;
import org.tensorflow.Result;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Every method trained a few steps on the tiny Llamas (untied; grouped-query attention with a tied
 * head), exported as the cell exports it, rebuilt by PEFT's rules ({@link PeftRebuild}) onto
 * LlamaForCausalLM's tensors and run by the float64 reference, gives the trained graph's logits.
 * A decoder cell stores generated text, not logits, so the trained graph's own forward is the
 * evaluated model here.
 */
class DecoderRoundTripTest {
  static final double TOLERANCE = 1e-4;

  @TempDir Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String fixture : List.of("tiny-llama", "tiny-llama-gqa-tied")) {
      // 'none' trains nothing, so it has nothing to export
      MethodRegistry.builtin().all().stream().filter(m -> !m.trainsNothing()).map(FineTuningMethod::name)
          .forEach(m -> out.add(Arguments.of(m, fixture)));
    }
    return out.stream();
  }

  /** Whether the grid may set the method's alpha (LoRA-SB fixes it). */
  static boolean takesAlpha(String method) {
    return MethodRegistry.builtin().get(method).options().stream()
        .anyMatch(o -> o.key().equals(AdapterOptions.ALPHA.key()) && !o.fixed());
  }

  static MethodConfig<?> options(String method) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MethodConfig.METHOD_KEY, method);
    if (!method.equals("full")) {
      m.put(AdapterOptions.RANK.key(), 4);
      if (takesAlpha(method)) {
        m.put(AdapterOptions.ALPHA.key(), 8);
      }
    }
    return MethodConfig.fromMap(m, "test");
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void theExportedFolderRebuildsTheTrainedModel(String method, String fixture) throws IOException {
    Path model = SharedFiles.fixture(fixture);
    MethodConfig<?> o = options(method);
    int[][] ids = {{1, 17, 42, 9, 63, 5, 88, 30}, {1, 70, 12, 55, 3, 3, 3, 3}};
    int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0, 0}};
    Path folder = dir.resolve("adapter");
    FloatTensor trained;
    try (PretrainedModel pm = PretrainedModel.open(model.toString())) {
      AdapterFactory factory = AdapterFactory.create(o, pm.config().architecture().defaultTargets(), null);
      try (GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, factory)) {
        DecoderModel<TFloat32> graph = (DecoderModel<TFloat32>) g;
        Map<String, FloatTensor> grads = new LinkedHashMap<>();
        SplittableRandom rng = new SplittableRandom(4);
        for (AdapterSite site : factory.sites()) {
          grads.put(site.module(), random(rng, site.site().outFeatures(), site.site().inFeatures()));
        }
        factory.initialize(graph.session(), new SeedStreams(2), grads, new TrainingPlan(1e-3, 1.0, 1, 1));
        Map<String, Variable<TFloat32>> trainable = new LinkedHashMap<>();
        if (o.trainsWholeModel()) {
          graph.parameters().forEach((k, p) -> trainable.put(k, p.trainable()));
        } else {
          for (AdapterVariable v : factory.trainableVariables()) {
            trainable.put(v.name(), (Variable<TFloat32>) v.variable());
          }
        }
        CausalLmLoss<TFloat32> lm = new CausalLmLoss<>(graph);
        new Trainer<>(graph, lm.loss(), trainable, TrainConfig.defaults(o.trainsWholeModel() ? 1e-3 : 1e-2).withSteps(5))
            .train(List.of(lm.batch(List.of(new int[] {1, 17, 42}, new int[] {1, 70}), List.of(new int[] {9, 63, 2},
                new int[] {12, 55, 2}), false)), TrainListener.NONE);
        trained = graph.forward(ids, mask);
        Map<String, FloatTensor> full = new LinkedHashMap<>();
        if (o.trainsWholeModel()) {
          graph.parameters().forEach((k, p) -> full.put(k, fetch(graph, p.trainable())));
        }
        AdapterFolder.write(folder, o, factory, graph.session(), pm.config(), pm.loadableName(), Map.of(), full);
      }
    }

    JsonNode config = JsonDocument.MAPPER.readTree(Files.readString(model.resolve("config.json")));
    Map<String, FloatTensor> base = new LinkedHashMap<>();
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(model)) {
      for (String n : c.names()) {
        base.put(n, c.readFloat(n));
      }
    }
    Map<String, FloatTensor> merged;
    if (o.trainsWholeModel()) {
      merged = new LinkedHashMap<>();
      try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
        for (String k : f.names()) {
          merged.put(k, f.readFloat(k));
        }
      }
      assertThat(merged.keySet()).containsExactlyInAnyOrderElementsOf(TransformersKeys.llamaForCausalLm(config));
    } else {
      PeftRebuild.Rebuilt r = PeftRebuild.apply(folder, base, TransformersKeys.llamaForCausalLm(config));
      assertThat(r.config().get("base_model_name_or_path").asText()).isEqualTo(model.toString());
      assertThat(r.config().get("task_type").asText()).isEqualTo("CAUSAL_LM");
      assertThat(r.config().get("modules_to_save").isNull()).isTrue();
      merged = r.merged();
    }
    DecoderConfig dc = DecoderConfig.fromJson(config);
    DecoderReference rebuilt = new DecoderReference(dc, ReferenceWeights.ofTensors(merged));
    DecoderReference plain = new DecoderReference(dc, ReferenceWeights.ofTensors(base));
    int vocab = config.get("vocab_size").asInt();
    double maxDiff = 0;
    double effect = 0;
    for (int b = 0; b < ids.length; b++) {
      double[][] got = rebuilt.logits(ids[b], mask[b]);
      double[][] before = plain.logits(ids[b], mask[b]);
      for (int t = 0; t < ids[b].length; t++) {
        if (mask[b][t] == 0) {
          continue; // padded positions: nothing reads them
        }
        for (int v = 0; v < vocab; v++) {
          float stored = trained.data()[(b * ids[b].length + t) * vocab + v];
          maxDiff = Math.max(maxDiff, Math.abs(got[t][v] - stored));
          effect = Math.max(effect, Math.abs(got[t][v] - before[t][v]));
        }
      }
    }
    System.out.printf(Locale.ROOT, "round trip %-8s %-20s max |dlogit| %.3g, adapter effect %.3g%n", method, fixture,
        maxDiff, effect);
    assertThat(maxDiff).as("%s on %s: rebuilt vs trained logits", method, fixture).isLessThan(TOLERANCE);
    assertThat(effect).as("%s on %s: what the adapter changes", method, fixture).isGreaterThan(100 * TOLERANCE);
  }

  private static FloatTensor fetch(GraphModel<TFloat32> graph, Variable<TFloat32> v) {
    try (Result r = graph.session().runner().fetch(v).run()) {
      return HostTensors.toHost(r.get(0));
    }
  }

  private static FloatTensor random(SplittableRandom rng, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return new FloatTensor(shape, v);
  }
}
