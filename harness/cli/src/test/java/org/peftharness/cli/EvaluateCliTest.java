package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;

/**
 * {@code harness evaluate} on a small MiniLM adapter written here in PEFT's layout: it evaluates,
 * and every adapter feature the harness does not build is refused with exit 2, naming the field.
 */
class EvaluateCliTest {
  static final String A0 = "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight";
  static final String B0 = "base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight";

  @TempDir Path dir;

  /** A valid rank-2 adapter on every query projection, with the classification head under modules_to_save. */
  static void write(Path folder, Consumer<Map<String, Object>> editConfig, Consumer<Map<String, FloatTensor>> editTensors)
      throws IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("peft_type", "LORA");
    config.put("task_type", "SEQ_CLS");
    config.put("r", 2);
    config.put("lora_alpha", 4);
    config.put("target_modules", List.of("query"));
    config.put("modules_to_save", List.of("classifier", "pooler"));
    config.put("bias", "none");
    config.put("use_dora", false);
    config.put("init_lora_weights", true);
    editConfig.accept(config);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    for (int l = 0; l < 6; l++) {
      String m = "base_model.model.bert.encoder.layer." + l + ".attention.self.query";
      t.put(m + ".lora_A.weight", filled(0.01f, 2, 384));
      t.put(m + ".lora_B.weight", filled(0.02f, 384, 2));
    }
    t.put("base_model.model.bert.pooler.dense.weight", filled(0.001f, 384, 384));
    t.put("base_model.model.bert.pooler.dense.bias", filled(0f, 384));
    t.put("base_model.model.classifier.weight", filled(0.01f, 2, 384));
    t.put("base_model.model.classifier.bias", filled(0f, 2));
    editTensors.accept(t);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("adapter_config.json"), JsonDocument.MAPPER.writeValueAsString(config));
    SafetensorsWriter.write(folder.resolve("adapter_model.safetensors"), t, Map.of("format", "pt"));
  }

  private static FloatTensor filled(float step, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = step * ((i * 7919L % 13) - 6);
    }
    return new FloatTensor(shape, v);
  }

  private CliRunner evaluate(Path adapter) {
    return CliRunner.run("evaluate", "--model", "minilm", "--adapter", adapter.toString(), "--task", "synthetic-sentiment",
        "--data-dir", dir.resolve("data").toString(), "--limit", "8", "--max-length", "24", "--out", dir.resolve("out").toString());
  }

  @Test
  void evaluatesAnAdapterAndWritesResults() throws IOException {
    Path adapter = dir.resolve("adapter");
    // SEQ_CLS: PEFT saves the classifier without it being listed (PeftModelForSequenceClassification adds it)
    write(adapter, c -> {
      c.put("init_lora_weights", "gaussian");
      c.put("modules_to_save", List.of("pooler"));
    }, t -> { });
    CliRunner r = evaluate(adapter);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("accuracy").contains("8 examples");
    for (String f : List.of("generations.jsonl", "verdicts.jsonl", "metrics.json", "provenance.json")) {
      assertThat(dir.resolve("out").resolve(f)).exists();
    }
  }

  @Test
  void evaluatesADoraAdapter() throws IOException {
    Path adapter = dir.resolve("adapter");
    write(adapter, c -> c.put("use_dora", true), t -> {
      float[] magnitude = new float[384];
      Arrays.fill(magnitude, 1.5f);
      for (int l = 0; l < 6; l++) {
        t.put("base_model.model.bert.encoder.layer." + l + ".attention.self.query.lora_magnitude_vector",
            new FloatTensor(new long[] {384}, magnitude));
      }
    });
    CliRunner r = evaluate(adapter);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("accuracy").contains("8 examples");
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        config("peft_type", c -> c.put("peft_type", "IA3")),
        // DoRA loads, but only with a magnitude vector for every target
        Arguments.of(A0.replace(".lora_A.weight", ".lora_magnitude_vector"), (Consumer<Map<String, Object>>) c -> c.put("use_dora", true),
            (Consumer<Map<String, FloatTensor>>) t -> { }),
        config("rank_pattern", c -> c.put("rank_pattern", Map.of("query", 8))),
        config("alpha_pattern", c -> c.put("alpha_pattern", Map.of("query", 16))),
        config("bias", c -> c.put("bias", "lora_only")),
        config("fan_in_fan_out", c -> c.put("fan_in_fan_out", true)),
        config("layers_to_transform", c -> c.put("layers_to_transform", List.of(0))),
        config("init_lora_weights", c -> c.put("init_lora_weights", "pissa")),
        config("target_modules", c -> c.put("target_modules", "all-linear")),
        config("target_modules", c -> c.put("target_modules", List.of("query", "gate_proj"))),
        config("modules_to_save", c -> c.put("modules_to_save", List.of("classifier"))),
        config(A0, c -> c.put("r", 3)),
        tensors(B0, t -> t.remove(B0)),
        tensors("modules_to_save", t -> {
          t.remove("base_model.model.classifier.weight");
          t.remove("base_model.model.classifier.bias");
        }),
        tensors("base_model.model.pooler.dense.bias", t -> {
          t.put("base_model.model.pooler.dense.weight", t.remove("base_model.model.bert.pooler.dense.weight"));
          t.put("base_model.model.pooler.dense.bias", t.remove("base_model.model.bert.pooler.dense.bias"));
        }),
        tensors("base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight",
            t -> t.put("base_model.model.bert.encoder.layer.0.attention.self.key.lora_A.weight", filled(0.01f, 2, 384))));
  }

  private static Arguments config(String field, Consumer<Map<String, Object>> edit) {
    return Arguments.of(field, edit, (Consumer<Map<String, FloatTensor>>) t -> { });
  }

  private static Arguments tensors(String field, Consumer<Map<String, FloatTensor>> edit) {
    return Arguments.of(field, (Consumer<Map<String, Object>>) c -> { }, edit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void unsupportedFeaturesAreRefusedWithExit2NamingTheField(String field, Consumer<Map<String, Object>> editConfig,
      Consumer<Map<String, FloatTensor>> editTensors) throws IOException {
    Path adapter = dir.resolve("adapter");
    write(adapter, editConfig, editTensors);
    CliRunner r = evaluate(adapter);
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(field).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aPickleAdapterIsRefusedWithoutBeingRead() throws IOException {
    Path adapter = dir.resolve("adapter");
    write(adapter, c -> { }, t -> { });
    Files.delete(adapter.resolve("adapter_model.safetensors"));
    Files.write(adapter.resolve("adapter_model.bin"), new byte[] {(byte) 0x80, 2});
    CliRunner r = evaluate(adapter);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("adapter_model.bin").contains("pickle");
  }

  @Test
  void theRootAsAdapterFolderHasNoNameForItsResultsFolder() {
    CliRunner r = CliRunner.run("evaluate", "--model", "minilm", "--adapter", "/", "--task", "sst2");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("argument --adapter: '/' has no folder name").doesNotContain("Exception");
  }
}
