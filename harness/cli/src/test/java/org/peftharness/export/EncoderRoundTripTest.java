package org.peftharness.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.cli.Main;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.TextTokenizer;
import org.peftharness.model.reference.EncoderConfig;
import org.peftharness.model.reference.EncoderReference;
import org.peftharness.model.reference.ReferenceWeights;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.prompt.EncoderInput;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;

/**
 * Every method's exported folder, loaded by PEFT's rules ({@link PeftRebuild}) onto the embedded
 * MiniLM as transformers builds BertForSequenceClassification, reproduces the logits the cell
 * stored in generations.jsonl, on a classification task and on a regression task (STS-B format).
 * The float64 reference forward is not the graph that trained, and the LoRA factors must move the
 * logits by far more than the tolerance, so an ignored or misplaced adapter cannot pass.
 */
class EncoderRoundTripTest {
  static final double TOLERANCE = 1e-4;
  static final int EVAL = 12;

  @TempDir static Path dir;
  static Path out;

  static Stream<Arguments> cells() {
    List<Arguments> out = new ArrayList<>();
    for (String task : List.of("synthetic-contrast", "stsb")) {
      MethodRegistry.builtin().all().stream().filter(m -> !m.trainsNothing()).map(FineTuningMethod::name)
          .forEach(m -> out.add(Arguments.of(m, task)));
    }
    return out.stream();
  }

  @BeforeAll
  static void runGrid() throws IOException {
    Path data = dir.resolve("data");
    writeStsb(data.resolve("glue/STS-B"));
    List<String> methods = new ArrayList<>();
    // 'none' trains nothing, so it has nothing to export
    for (FineTuningMethod<?> m : MethodRegistry.builtin().all().stream().filter(x -> !x.trainsNothing()).toList()) {
      methods.add(m.name().equals("full") ? "  - {name: full, train: {lr: 1.0e-4}}"
          : "  - {name: " + m.name() + ", ranks: [4]" + (DecoderRoundTripTest.takesAlpha(m.name()) ? ", alpha: 8}" : "}"));
    }
    Path grid = dir.resolve("roundtrip.yaml");
    Files.writeString(grid, String.join("\n", "name: roundtrip", "models: [minilm]", "tasks: [synthetic-contrast, stsb]",
        "seeds: [3]", "data_dir: data", "methods:", String.join("\n", methods),
        "train: {lr: 1.0e-2, batch_size: 8, max_length: 40, limit_train: 48, warmup_ratio: 0.1, save_adapter: true}",
        "eval: {limit: " + EVAL + ", batch_size: " + EVAL + "}", ""));
    out = dir.resolve("runs");
    int code = Main.run(new String[] {"run", "--grid", grid.toString(), "--out", out.toString(), "--no-report"},
        System.out, System.err);
    assertThat(code).as("harness run").isZero();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cells")
  void theExportedFolderRebuildsTheEvaluatedModel(String method, String taskName) throws IOException {
    Path cell = cellFolder(method, taskName);
    JsonNode config = JsonDocument.MAPPER.readTree(resource("/org/peftharness/model/minilm/config.json"));
    Map<String, FloatTensor> base = new LinkedHashMap<>();
    try (PretrainedModel minilm = PretrainedModel.open(PretrainedModel.MINILM)) {
      for (String n : minilm.weights().names()) {
        base.put("bert." + n, minilm.weights().read(n)); // BertModel's keys inside BertForSequenceClassification
      }
    }
    Set<String> expected = TransformersKeys.forSequenceClassification(config);
    Path folder = cell.resolve("adapter");
    Map<String, FloatTensor> merged;
    Map<String, FloatTensor> withoutAdapter;
    if (method.equals("full")) {
      merged = new LinkedHashMap<>();
      try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
        for (String k : f.names()) {
          merged.put(k, f.readFloat(k));
        }
      }
      assertThat(merged.keySet()).as("full fine-tuning's checkpoint keys").containsExactlyInAnyOrderElementsOf(expected);
      withoutAdapter = new LinkedHashMap<>(base);
      for (String k : expected) {
        if (!base.containsKey(k)) {
          withoutAdapter.put(k, merged.get(k));
        }
      }
    } else {
      PeftRebuild.Rebuilt r = PeftRebuild.apply(folder, base, expected);
      assertThat(r.config().get("base_model_name_or_path").asText()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
      assertThat(r.config().get("task_type").asText()).isEqualTo("SEQ_CLS");
      merged = r.merged();
      withoutAdapter = r.withoutLora();
    }
    // the embedded ONNX MiniLM has no pooler: it was drawn fresh, trained and exported, and provenance says so
    assertThat(base).doesNotContainKey("bert.pooler.dense.weight");
    assertThat(ProvenanceIO.read(cell.resolve(ProvenanceIO.FILE)).observed().freshHeadWeights())
        .containsExactly("bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias");

    List<int[][]> inputs = inputs(taskName);
    List<double[]> stored = storedLogits(cell.resolve("eval").resolve(taskName));
    assertThat(stored).hasSize(inputs.size());
    double maxDiff = 0;
    double adapterEffect = 0;
    for (int i = 0; i < inputs.size(); i++) {
      double[] got = logits(config, merged, inputs.get(i));
      double[] plain = logits(config, withoutAdapter, inputs.get(i));
      assertThat(got).hasSameSizeAs(stored.get(i));
      for (int c = 0; c < got.length; c++) {
        maxDiff = Math.max(maxDiff, Math.abs(got[c] - stored.get(i)[c]));
        adapterEffect = Math.max(adapterEffect, Math.abs(got[c] - plain[c]));
      }
    }
    System.out.printf(Locale.ROOT, "round trip %-8s %-18s max |dlogit| %.3g, adapter effect %.3g%n", method, taskName,
        maxDiff, adapterEffect);
    assertThat(maxDiff).as("%s on %s: rebuilt vs stored logits", method, taskName).isLessThan(TOLERANCE);
    assertThat(adapterEffect).as("%s on %s: what the adapter changes", method, taskName).isGreaterThan(100 * TOLERANCE);
  }

  /** BertForSequenceClassification in evaluation mode: classifier(tanh(pooler.dense(h[0]))). */
  static double[] logits(JsonNode config, Map<String, FloatTensor> weights, int[][] input) {
    double[][] h = new EncoderReference(EncoderConfig.fromJson(config), ReferenceWeights.ofTensors(weights))
        .lastHiddenState(input[0], input[1], null);
    double[] pooled = dense(weights.get("bert.pooler.dense.weight"), weights.get("bert.pooler.dense.bias"), h[0]);
    for (int i = 0; i < pooled.length; i++) {
      pooled[i] = Math.tanh(pooled[i]);
    }
    return dense(weights.get("classifier.weight"), weights.get("classifier.bias"), pooled);
  }

  private static double[] dense(FloatTensor w, FloatTensor b, double[] x) {
    int m = Math.toIntExact(w.dim(0));
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      double acc = b.data()[i];
      for (int j = 0; j < x.length; j++) {
        acc += (double) w.data()[i * x.length + j] * x[j];
      }
      y[i] = acc;
    }
    return y;
  }

  /** The evaluated examples' token ids and token type ids, in order (short enough not to be truncated). */
  private static List<int[][]> inputs(String taskName) {
    TaskSpec task = TaskRegistry.builtin().get(taskName);
    List<Example> eval = TaskData.examples(task, dir.resolve("data"), Split.EVAL).subList(0, EVAL);
    List<int[][]> out = new ArrayList<>();
    try (PretrainedModel minilm = PretrainedModel.open(PretrainedModel.MINILM)) {
      for (Example e : eval) {
        EncoderInput in = task.prompt().eval().encoderInput(e);
        TextTokenizer.Encoded enc = minilm.tokenizer().encode(in.text(), in.textPair());
        assertThat(enc.ids().length).as("not truncated").isLessThanOrEqualTo(40);
        out.add(new int[][] {enc.ids(), enc.typeIds()});
      }
    }
    return out;
  }

  private static List<double[]> storedLogits(Path evalDir) throws IOException {
    List<double[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(evalDir.resolve("generations.jsonl"))) {
      JsonNode row = JsonDocument.MAPPER.readTree(line);
      double[] l = new double[row.get("logits").size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = row.get("logits").get(i).asDouble();
      }
      out.add(l);
    }
    return out;
  }

  private static Path cellFolder(String method, String task) throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      for (Path p : files.filter(f -> f.getFileName().toString().equals(ProvenanceIO.FILE)).toList()) {
        Map<String, Object> c = ProvenanceIO.read(p).configured();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) c.get("method");
        if (m.get("method").equals(method) && c.get("train_on").toString().contains(task)) {
          return p.getParent();
        }
      }
    }
    throw new AssertionError("no cell for " + method + " on " + task + " under " + out);
  }

  /** A small STS-B in GLUE's layout: pairs sharing 0 to 5 of 5 content words, scored by the overlap. */
  private static void writeStsb(Path folder) throws IOException {
    Files.createDirectories(folder);
    String[] words = {"man", "woman", "dog", "cat", "car", "plane", "guitar", "flute", "river", "horse", "child", "ball"};
    for (String split : List.of("train", "dev")) {
      StringBuilder sb = new StringBuilder("index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n");
      int n = split.equals("train") ? 48 : EVAL;
      for (int i = 0; i < n; i++) {
        int seed = split.equals("train") ? i : 1000 + i;
        int shared = seed % 6;
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
          a.add(words[(seed * 7 + k * 3) % words.length]);
          b.add(k < shared ? a.get(k) : words[(seed * 5 + k * 11 + 1) % words.length]);
        }
        sb.append(i).append("\tmain\tgen\t2026\t").append(i).append("\tnone\tnone\ta ").append(String.join(" and a ", a))
            .append(" .\ta ").append(String.join(" and a ", b)).append(" .\t")
            .append(String.format(Locale.ROOT, "%.3f", (double) shared)).append('\n');
      }
      Files.writeString(folder.resolve(split + ".tsv"), sb.toString());
    }
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = EncoderRoundTripTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
