package org.peftharness.cell;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.adapter.PeftAdapterFolder;
import org.peftharness.adapter.PeftAdapterLoader;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.grid.EvalSection;
import org.peftharness.grid.TrainSection;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.testing.SharedFiles;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * An adapter folder written here by hand in PEFT's layout (not by the exporter) and evaluated by
 * {@code harness evaluate}'s service gives the logits of the same weights merged by hand into the
 * base model (W + s·B·A), within 1e-5, while the adapter moves the logits by far more than that.
 */
class AdapterImportTest {
  @TempDir Path dir;

  @Test
  void miniLmClassificationAdapterEvaluatesToTheHandMergedLogits() throws Exception {
    int r = 4;
    double alpha = 8;
    SplittableRandom rng = new SplittableRandom(7);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    Map<String, FloatTensor[]> factors = new LinkedHashMap<>();
    for (int layer = 0; layer < 6; layer++) {
      for (String m : List.of("attention.self.query", "attention.self.value", "intermediate.dense")) {
        String module = "encoder.layer." + layer + "." + m;
        long out = m.equals("intermediate.dense") ? 1536 : 384;
        FloatTensor a = PeftAdapterFiles.gaussian(rng, 0.05, r, 384);
        FloatTensor b = PeftAdapterFiles.gaussian(rng, 0.05, out, r);
        tensors.put("base_model.model.bert." + module + ".lora_A.weight", a);
        tensors.put("base_model.model.bert." + module + ".lora_B.weight", b);
        factors.put(module, new FloatTensor[] {a, b});
      }
    }
    Map<String, FloatTensor> head = new LinkedHashMap<>();
    head.put("pooler.dense.weight", PeftAdapterFiles.gaussian(rng, 0.05, 384, 384));
    head.put("pooler.dense.bias", PeftAdapterFiles.gaussian(rng, 0.05, 384));
    head.put("classifier.weight", PeftAdapterFiles.gaussian(rng, 0.2, 2, 384));
    head.put("classifier.bias", PeftAdapterFiles.gaussian(rng, 0.2, 2));
    head.forEach((k, v) -> tensors.put("base_model.model." + (k.startsWith("pooler") ? "bert." : "") + k, v));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("peft_type", "LORA");
    config.put("task_type", "SEQ_CLS");
    config.put("r", r);
    config.put("lora_alpha", alpha);
    config.put("target_modules", List.of("query", "value", "intermediate.dense"));
    config.put("modules_to_save", List.of("classifier", "pooler"));
    config.put("bias", "none");
    config.put("init_lora_weights", "gaussian");
    Path adapter = dir.resolve("adapter");
    PeftAdapterFiles.write(adapter, config, tensors);

    Path data = dir.resolve("data");
    Path out = dir.resolve("out");
    AdapterEvaluation.Outcome o = AdapterEvaluation.run(new AdapterEvaluation.Request(PretrainedModel.MINILM, adapter,
        "synthetic-sentiment", data, 24, 48, 8, null, out), TaskRegistry.builtin(), BuildInfo.current(TensorFlow.version()));
    assertThat(o.examples()).isEqualTo(24);
    assertThat(o.scores()).isNotEmpty();
    float[][] imported = logits(out.resolve("generations.jsonl"));

    TaskSpec task = TaskRegistry.builtin().get("synthetic-sentiment");
    List<Example> eval = TaskData.examples(task, data, Split.EVAL).subList(0, 24);
    TrainSettings st = settings(48, 8);
    float[][] base;
    float[][] merged;
    try (PretrainedModel pm = PretrainedModel.open(PretrainedModel.MINILM);
        GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      EncoderTaskRun run = new EncoderTaskRun(g, pm, task, st, new SeedStreams(0));
      Map<String, Variable<TFloat32>> vars = run.headVariables(true);
      head.forEach((k, v) -> assign(g, vars.get(k), v));
      base = predict(run, eval, dir.resolve("base.jsonl"));
      for (Map.Entry<String, FloatTensor[]> e : factors.entrySet()) {
        LinearSite site = g.linearSites().get(e.getKey());
        GraphModel.Parameter<TFloat32> p = g.parameters().get(site.weightName());
        g.assign(p, PeftAdapterFiles.merged(read(g, p.trainable()), e.getValue()[0], e.getValue()[1], alpha / r));
      }
      merged = predict(run, eval, dir.resolve("merged.jsonl"));
    }
    assertThat(maxDiff(imported, merged)).isLessThan(1e-5);
    assertThat(maxDiff(imported, base)).isGreaterThan(1e-2);

    JsonNode prov = JsonDocument.MAPPER.readTree(out.resolve("provenance.json").toFile());
    assertThat(prov.get("adapter").get("adapter_model.safetensors").asText()).hasSize(64);
    assertThat(prov.get("adapter").get("head_from_modules_to_save")).hasSize(4);
    assertThat(out.resolve("verdicts.jsonl")).exists();
    assertThat(out.resolve("metrics.json")).exists();
  }

  @Test
  void tinyLlamaRsLoraAdapterGivesTheHandMergedLogitsAndEvaluatesAGenerationTask() throws Exception {
    Path model = SharedFiles.fixture("tiny-llama");
    int r = 4;
    double alpha = 4;
    double s = alpha / Math.sqrt(r);
    SplittableRandom rng = new SplittableRandom(11);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    Map<String, FloatTensor[]> factors = new LinkedHashMap<>();
    try (PretrainedModel pm = PretrainedModel.open(model.toString());
        GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      for (LinearSite site : g.linearSites().values()) {
        if (site.module().endsWith("q_proj") || site.module().endsWith("down_proj")) {
          FloatTensor a = PeftAdapterFiles.gaussian(rng, 0.3, r, site.inFeatures());
          FloatTensor b = PeftAdapterFiles.gaussian(rng, 0.3, site.outFeatures(), r);
          tensors.put("base_model.model." + site.module() + ".lora_A.weight", a);
          tensors.put("base_model.model." + site.module() + ".lora_B.weight", b);
          factors.put(site.module(), new FloatTensor[] {a, b});
        }
      }
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("peft_type", "LORA");
    config.put("task_type", "CAUSAL_LM");
    config.put("r", r);
    config.put("lora_alpha", alpha);
    config.put("use_rslora", true);
    config.put("target_modules", List.of("q_proj", "down_proj"));
    config.put("lora_dropout", 0.05);
    config.put("bias", "none");
    config.put("fan_in_fan_out", false);
    config.put("use_dora", false);
    config.put("rank_pattern", Map.of());
    config.put("alpha_pattern", Map.of());
    config.put("modules_to_save", null);
    Path adapter = dir.resolve("adapter");
    PeftAdapterFiles.write(adapter, config, tensors);

    int[][] ids = {{1, 5, 9, 14, 3, 7, 2, 30}};
    int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}};
    FloatTensor imported;
    FloatTensor base;
    FloatTensor merged;
    PeftAdapterFolder folder = PeftAdapterFolder.read(adapter);
    try (PretrainedModel pm = PretrainedModel.open(model.toString())) {
      AdapterFactory factory = AdapterFactory.create(folder.config().method(""), List.of(), null);
      try (GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, factory)) {
        PeftAdapterLoader.load(folder, factory, g, "", Map.of(), List.of());
        imported = ((DecoderModel<TFloat32>) g).forward(ids, mask);
      }
      try (GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
        base = ((DecoderModel<TFloat32>) g).forward(ids, mask);
        for (Map.Entry<String, FloatTensor[]> e : factors.entrySet()) {
          GraphModel.Parameter<TFloat32> p = g.parameters().get(g.linearSites().get(e.getKey()).weightName());
          g.assign(p, PeftAdapterFiles.merged(read(g, p.trainable()), e.getValue()[0], e.getValue()[1], s));
        }
        merged = ((DecoderModel<TFloat32>) g).forward(ids, mask);
      }
    }
    assertThat(maxDiff(imported.data(), merged.data())).isLessThan(1e-5);
    assertThat(maxDiff(imported.data(), base.data())).isGreaterThan(1e-2);

    Path out = dir.resolve("out");
    AdapterEvaluation.Outcome o = AdapterEvaluation.run(new AdapterEvaluation.Request(model.toString(), adapter,
        "synthetic-arith", dir.resolve("data"), 3, null, 4, 8, out), TaskRegistry.builtin(), BuildInfo.current(TensorFlow.version()));
    assertThat(o.examples()).isEqualTo(3);
    assertThat(o.scores()).isNotEmpty();
    assertThat(Files.readAllLines(out.resolve("generations.jsonl"))).hasSize(3);
  }

  /**
   * A DoRA adapter ({@code use_dora: true}) gives the logits of PEFT's DoRA merge done here by hand,
   * {@code m / ‖W + s·B·A‖_row ⊙ (W + s·B·A)} (tuners/lora/variants.py DoraLinearVariant.merge_safe),
   * with the saved magnitude under PEFT's key {@code <module>.lora_magnitude_vector}.
   */
  @Test
  void tinyLlamaDoraAdapterGivesTheHandMergedLogits() throws Exception {
    Path model = SharedFiles.fixture("tiny-llama");
    int r = 4;
    double alpha = 8;
    double s = alpha / r;
    SplittableRandom rng = new SplittableRandom(13);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    Map<String, FloatTensor[]> factors = new LinkedHashMap<>();
    try (PretrainedModel pm = PretrainedModel.open(model.toString());
        GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
      for (LinearSite site : g.linearSites().values()) {
        if (site.module().endsWith("v_proj") || site.module().endsWith("up_proj")) {
          FloatTensor a = PeftAdapterFiles.gaussian(rng, 0.3, r, site.inFeatures());
          FloatTensor b = PeftAdapterFiles.gaussian(rng, 0.3, site.outFeatures(), r);
          FloatTensor m = PeftAdapterFiles.gaussian(rng, 0.5, site.outFeatures());
          for (int i = 0; i < m.size(); i++) {
            m.data()[i] = 1 + Math.abs(m.data()[i]);
          }
          tensors.put("base_model.model." + site.module() + ".lora_A.weight", a);
          tensors.put("base_model.model." + site.module() + ".lora_B.weight", b);
          tensors.put("base_model.model." + site.module() + ".lora_magnitude_vector", m);
          factors.put(site.module(), new FloatTensor[] {a, b, m});
        }
      }
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("peft_type", "LORA");
    config.put("task_type", "CAUSAL_LM");
    config.put("r", r);
    config.put("lora_alpha", alpha);
    config.put("target_modules", List.of("v_proj", "up_proj"));
    config.put("bias", "none");
    config.put("use_dora", true);
    Path adapter = dir.resolve("adapter");
    PeftAdapterFiles.write(adapter, config, tensors);

    int[][] ids = {{1, 5, 9, 14, 3, 7, 2, 30}};
    int[][] mask = {{1, 1, 1, 1, 1, 1, 1, 1}};
    FloatTensor imported;
    FloatTensor base;
    FloatTensor merged;
    PeftAdapterFolder folder = PeftAdapterFolder.read(adapter);
    assertThat(folder.config().method("").name()).isEqualTo("dora");
    try (PretrainedModel pm = PretrainedModel.open(model.toString())) {
      AdapterFactory factory = AdapterFactory.create(folder.config().method(""), List.of(), null);
      try (GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, factory)) {
        PeftAdapterLoader.load(folder, factory, g, "", Map.of(), List.of());
        imported = ((DecoderModel<TFloat32>) g).forward(ids, mask);
      }
      try (GraphModel<TFloat32> g = pm.buildGraph(TFloat32.class, LinearFactory.PLAIN)) {
        base = ((DecoderModel<TFloat32>) g).forward(ids, mask);
        for (Map.Entry<String, FloatTensor[]> e : factors.entrySet()) {
          GraphModel.Parameter<TFloat32> p = g.parameters().get(g.linearSites().get(e.getKey()).weightName());
          FloatTensor[] f = e.getValue();
          g.assign(p, doraMerged(PeftAdapterFiles.merged(read(g, p.trainable()), f[0], f[1], s), f[2]));
        }
        merged = ((DecoderModel<TFloat32>) g).forward(ids, mask);
      }
    }
    assertThat(maxDiff(imported.data(), merged.data())).isLessThan(1e-5);
    assertThat(maxDiff(imported.data(), base.data())).isGreaterThan(1e-2);
  }

  /** Each row i of V (= W + s·B·A) scaled to the norm m_i, in float64. */
  private static FloatTensor doraMerged(FloatTensor v, FloatTensor magnitude) {
    int n = Math.toIntExact(v.dim(1));
    float[] out = new float[v.size()];
    for (int i = 0; i < v.dim(0); i++) {
      double squares = 0;
      for (int j = 0; j < n; j++) {
        squares += (double) v.data()[i * n + j] * v.data()[i * n + j];
      }
      double factor = magnitude.data()[i] / Math.sqrt(squares);
      for (int j = 0; j < n; j++) {
        out[i * n + j] = (float) (factor * v.data()[i * n + j]);
      }
    }
    return new FloatTensor(v.shape(), out);
  }

  static TrainSettings settings(int maxLength, int batchSize) {
    Map<String, Object> train = new LinkedHashMap<>(TrainSection.SECTION.defaults());
    train.put("max_length", maxLength);
    Map<String, Object> ev = new LinkedHashMap<>(EvalSection.SECTION.defaults());
    ev.put("batch_size", batchSize);
    return new TrainSettings(TrainSection.of(train), EvalSection.of(ev));
  }

  private static float[][] predict(EncoderTaskRun run, List<Example> eval, Path file) throws Exception {
    try (JsonLines lines = new JsonLines(file)) {
      run.predict(TaskRegistry.builtin().get("synthetic-sentiment"), eval, settings(48, 8).eval(), lines);
    }
    return logits(file);
  }

  private static float[][] logits(Path generations) throws Exception {
    List<float[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(generations)) {
      JsonNode l = JsonDocument.MAPPER.readTree(line).get("logits");
      float[] row = new float[l.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) l.get(i).asDouble();
      }
      rows.add(row);
    }
    return rows.toArray(new float[0][]);
  }

  private static void assign(GraphModel<TFloat32> g, Variable<TFloat32> v, FloatTensor value) {
    Ops tf = g.ops().withSubScope("test_assign");
    Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class, Placeholder.shape(v.shape()));
    Operand<TFloat32> assign = tf.assign(v, feed);
    try (TFloat32 t = HostTensors.of(value)) {
      g.session().runner().feed(feed, t).addTarget(assign).run().close();
    }
  }

  private static FloatTensor read(GraphModel<TFloat32> g, Variable<TFloat32> v) {
    try (Result res = g.session().runner().fetch(v).run()) {
      return HostTensors.toHost(res.get(0));
    }
  }

  private static double maxDiff(float[][] a, float[][] b) {
    assertThat(a.length).isEqualTo(b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, maxDiff(a[i], b[i]));
    }
    return max;
  }

  private static double maxDiff(float[] a, float[] b) {
    assertThat(a.length).isEqualTo(b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
