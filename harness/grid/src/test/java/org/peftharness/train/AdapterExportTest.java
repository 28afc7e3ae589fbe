package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsCheckpoint;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.export.AdapterFolder;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.export.Merge;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.ArchitectureRegistry;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Result;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A trained adapter exported as a PEFT folder, merged back into the original base weights by our
 * own code, gives the trained model's outputs; the folder's keys and config fields are the ones
 * PEFT writes (docs/METHODS.md §1).
 */
class AdapterExportTest {
  @TempDir Path dir;

  static List<String> methods() {
    return MethodRegistry.builtin().all().stream().filter(m -> !m.trainsNothing()).map(FineTuningMethod::name).toList();
  }

  @ParameterizedTest
  @MethodSource("methods")
  void exportedAdapterMergedIntoTheBaseReproducesTheTrainedModel(String name) throws Exception {
    check(name, MethodContractTest.options(name));
  }

  /** LoRA-FA's SVD inits: seed-svd as plain LoRA on W0, svd-residual as the rank-2r conversion. */
  @ParameterizedTest
  @ValueSource(strings = {"seed-svd", "svd-residual"})
  void loraFaSvdInitsExportToo(String init) throws Exception {
    check("lora-fa " + init, MethodContractTest.loraFaInit(init));
  }

  @SuppressWarnings("unchecked")
  private void check(String name, MethodConfig<?> o) throws Exception {
    Path base = TinyModels.encoder(dir, "bert", 2, 0.0, 0.0, true, 13);
    List<String> targets = o.targets(ArchitectureRegistry.BUILT_IN.get("bert").defaultTargets());
    AdapterFactory factory = AdapterFactory.create(o, ArchitectureRegistry.BUILT_IN.get("bert").defaultTargets(), null);
    MethodContractTest t = new MethodContractTest();
    t.dir = dir;
    MethodContractTest.Built b = t.build(base, factory, factory);
    var s = b.graph().session();
    Map<String, FloatTensor> grads = new LinkedHashMap<>();
    SplittableRandom rng = new SplittableRandom(4);
    for (AdapterSite site : factory.sites()) {
      grads.put(site.module(), TinyModels.random(rng, 1.0, site.site().outFeatures(), site.site().inFeatures()));
    }
    factory.initialize(s, new SeedStreams(2), grads, MethodContractTest.PLAN);
    Map<String, Variable<TFloat32>> trainable = new LinkedHashMap<>();
    if (o.trainsWholeModel()) {
      b.graph().parameters().forEach((k, p) -> trainable.put(k, p.trainable()));
    } else {
      for (AdapterVariable v : factory.trainableVariables()) {
        trainable.put(v.name(), (Variable<TFloat32>) v.variable());
      }
    }
    Map<String, FloatTensor> head = new LinkedHashMap<>();
    b.head().variables().forEach((k, v) -> {
      if (k.startsWith("classifier")) {
        trainable.put(k, v);
      }
    });
    new Trainer<>(b.graph(), b.head().loss(), trainable, TrainConfig.defaults(1e-2).withSteps(3))
        .train(List.of(MethodContractTest.batch(b.head())), TrainListener.NONE);
    FloatTensor expected = b.head().predict(MethodContractTest.batch(b.head()));
    b.head().variables().forEach((k, v) -> {
      if (k.startsWith("classifier")) {
        try (Result r = s.runner().fetch(v).run()) {
          head.put(k, HostTensors.toHost(r.get(0)));
        }
      }
    });
    Map<String, FloatTensor> full = new LinkedHashMap<>();
    if (o.trainsWholeModel()) {
      b.graph().parameters().forEach((k, p) -> {
        try (Result r = s.runner().fetch(p.variable()).run()) {
          full.put(k, HostTensors.toHost(r.get(0)));
        }
      });
    }
    Path out = dir.resolve("adapter");
    AdapterFolder.write(out, o, factory, s, b.model().config(), "tiny-bert", head, full);
    b.graph().close();
    b.model().close();

    // merge by our own code into the ORIGINAL base weights
    Map<String, FloatTensor> merged = new LinkedHashMap<>();
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(base)) {
      for (String n : c.names()) {
        merged.put(n, c.readFloat(n));
      }
    }
    if (o.trainsWholeModel()) {
      try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
        for (String n : f.names()) {
          merged.put(n.startsWith("bert.") ? n.substring(5) : n, f.readFloat(n));
        }
      }
    } else {
      JsonNode config = JsonDocument.MAPPER.readTree(Files.readString(out.resolve(AdapterFolder.CONFIG)));
      assertThat(config.get("peft_type").asText()).isEqualTo("LORA");
      assertThat(config.get("task_type").asText()).isEqualTo("SEQ_CLS");
      assertThat(config.get("modules_to_save").toString()).isEqualTo("[\"classifier\"]");
      assertThat(config.get("target_modules").toString()).isEqualTo(o.targetModules() == null
          ? "[\"query\",\"value\",\"attention.output.dense\",\"output.dense\"]"
          : JsonDocument.MAPPER.writeValueAsString(targets));
      assertThat(config.get("use_dora").asBoolean()).as("use_dora").isEqualTo(name.equals("dora"));
      for (String k : List.of("r", "lora_alpha", "use_rslora", "lora_dropout", "bias", "fan_in_fan_out", "base_model_name_or_path")) {
        assertThat(config.has(k)).as(k).isTrue();
      }
      int r = config.get("r").asInt();
      // a residual base (PiSSA, LoRA-GA) is exported as PEFT's rank-2r LoRA on the original W0
      boolean residual = factory.sites().get(0).init().residual() != null;
      assertThat(r).isEqualTo(residual ? 2 * o.rank() : o.rank());
      try (SafetensorsFile f = SafetensorsFile.open(out.resolve(AdapterFolder.WEIGHTS))) {
        assertThat(f.names()).contains("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
            "base_model.model.bert.encoder.layer.1." + targets.get(targets.size() - 1) + ".lora_B.weight",
            "base_model.model.classifier.weight",
            "base_model.model.classifier.bias");
        for (String n : f.names()) {
          if (n.endsWith(".lora_A.weight")) {
            String module = n.substring("base_model.model.bert.".length(), n.length() - ".lora_A.weight".length());
            FloatTensor a = f.readFloat(n);
            FloatTensor bMat = f.readFloat(n.replace(".lora_A.", ".lora_B."));
            assertThat(a.dim(0)).isEqualTo(r);
            double alpha = config.get("lora_alpha").asDouble();
            boolean rslora = config.get("use_rslora").asBoolean();
            // DoRA: PEFT's key for the magnitude has no ".weight" (tuners/lora/model.py _get_adapter_state_dict)
            merged.put(module + ".weight", config.get("use_dora").asBoolean()
                ? Merge.applyPeftDora(merged.get(module + ".weight"), a, bMat,
                    f.readFloat(n.replace(".lora_A.weight", ".lora_magnitude_vector")), r, alpha, rslora)
                : Merge.applyPeft(merged.get(module + ".weight"), a, bMat, r, alpha, rslora));
          } else if (n.startsWith("base_model.model.classifier.")) {
            merged.put(n.substring("base_model.model.".length()), f.readFloat(n));
          }
        }
      }
    }
    Path mergedDir = Files.createDirectories(dir.resolve("merged"));
    Files.copy(base.resolve("config.json"), mergedDir.resolve("config.json"));
    SafetensorsWriter.write(mergedDir.resolve("model.safetensors"), merged, Map.of());
    MethodContractTest.Built m = t.build(mergedDir, LinearFactory.PLAIN, null);
    FloatTensor got = m.head().predict(MethodContractTest.batch(m.head()));
    m.graph().close();
    m.model().close();
    for (int i = 0; i < expected.size(); i++) {
      assertThat((double) Math.abs(got.data()[i] - expected.data()[i])).as("%s logit %d", name, i).isLessThan(1e-4);
    }
  }
}
