package org.peftharness.results.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.results.Runner;

class ProvenanceIOTest {
  @TempDir Path dir;

  /** A provenance.json as the harness wrote it before the layout had a version. */
  static final String UNVERSIONED = """
      {
        "cell_id" : "abc123",
        "cell_index" : 3,
        "grid" : "quick-start",
        "configured" : {
          "eval" : { "batch_size" : 32, "limit" : 0, "max_new_tokens" : 256 },
          "method" : { "alpha" : 16.0, "method" : "lora", "rank" : 8 },
          "model" : "minilm",
          "seed" : 1,
          "task" : { "name" : "synthetic-contrast", "version" : 1 },
          "train" : { "lr" : 1.0E-4, "schedule" : "linear" }
        },
        "observed" : {
          "harness_version" : "0.1.0-SNAPSHOT",
          "git_commit" : "e7f2f87",
          "git_dirty" : true,
          "tf_java_version" : "1.1.0",
          "tensorflow_native" : "2.18.0 (linux-x86_64)",
          "device" : "CPU",
          "system" : { "os" : "Linux 6.1", "cores" : "2" },
          "runner" : { "host" : "box", "pid" : 4242, "scheduler" : "local" },
          "datasets" : { "train" : { "train.tsv" : "aa" }, "eval" : { "dev.tsv" : "bb" } },
          "task_version" : 1,
          "data_dir" : "/data",
          "model_path" : "minilm",
          "prompts_targets_sha256" : "cc",
          "seeds" : { "root" : 1, "dropout" : 77, "train/shuffle" : 99 },
          "started_at" : "2026-11-29T10:00:00Z",
          "finished_at" : "2026-11-29T10:01:30.500Z",
          "wall_s" : 90.5,
          "train_seconds" : 80.25,
          "train_steps" : 64,
          "final_loss" : 0.125,
          "peak_rss_bytes" : 123456789,
          "trainable_params" : 1000,
          "total_params" : 22000000,
          "tokens_per_s" : 512.0
        }
      }
      """;

  @Test
  void anUnversionedFileStillReads() throws IOException {
    Path file = dir.resolve(ProvenanceIO.FILE);
    Files.writeString(file, UNVERSIONED);
    CellProvenance p = ProvenanceIO.read(file);
    assertThat(p.schema()).isZero();
    assertThat(p.cellId()).isEqualTo("abc123");
    assertThat(p.cellIndex()).isEqualTo(3);
    assertThat(p.grid()).isEqualTo("quick-start");
    assertThat(p.configured()).containsEntry("model", "minilm").containsEntry("seed", 1);
    Observed o = p.observed();
    assertThat(o.software()).isEqualTo(new Observed.Software("0.1.0-SNAPSHOT", "e7f2f87", true, "1.1.0", "2.18.0 (linux-x86_64)"));
    assertThat(o.device()).isEqualTo("CPU");
    assertThat(o.runner()).isEqualTo(new Runner("box", 4242, "local"));
    assertThat(o.inputs().dataDir()).isEqualTo("/data");
    assertThat(o.inputs().datasets()).containsEntry("eval", Map.of("dev.tsv", "bb"));
    assertThat(o.seeds()).containsExactly(Map.entry("root", 1L), Map.entry("dropout", 77L), Map.entry("train/shuffle", 99L));
    assertThat(o.timing().finishedAt()).isEqualTo(Instant.parse("2026-11-29T10:01:30.500Z"));
    assertThat(o.outcome().trainSteps()).isEqualTo(64);
    assertThat(o.outcome().tokensPerSecond()).isEqualTo(512.0);
  }

  @Test
  void writtenFilesReadBackEqualAndKeepTheKeyNames() throws IOException {
    Path old = dir.resolve("old.json");
    Files.writeString(old, UNVERSIONED);
    CellProvenance read = ProvenanceIO.read(old);
    CellProvenance now = new CellProvenance(CellProvenance.SCHEMA, read.cellId(), read.cellIndex(), read.grid(),
        read.configured(), read.observed());
    Path file = dir.resolve(ProvenanceIO.FILE);
    ProvenanceIO.write(file, now);
    assertThat(ProvenanceIO.read(file)).isEqualTo(now);
    // the same keys, in the same order, as the unversioned layout, with "schema" added in front
    ObjectNode written = (ObjectNode) JsonDocument.MAPPER.readTree(Files.readString(file));
    JsonNode unversioned = JsonDocument.MAPPER.readTree(UNVERSIONED);
    assertThat(written.remove("schema").asInt()).isEqualTo(CellProvenance.SCHEMA);
    assertThat(written).isEqualTo(unversioned);
    assertThat(fieldNames(written.get("observed"))).isEqualTo(fieldNames(unversioned.get("observed")));
  }

  @Test
  void missingFactsReadAsUnknown_butTheConfigurationIsRequired() throws IOException {
    Path file = dir.resolve(ProvenanceIO.FILE);
    Files.writeString(file, "{\"configured\": {\"model\": \"minilm\"}}");
    CellProvenance p = ProvenanceIO.read(file);
    assertThat(p.cellId()).isNull();
    assertThat(p.observed().device()).isNull();
    assertThat(p.observed().runner()).isNull();
    assertThat(p.observed().outcome().trainSteps()).isEqualTo(-1);
    assertThat(p.observed().timing().wallSeconds()).isNaN();

    Files.writeString(file, "{\"observed\": {}}");
    assertThatThrownBy(() -> ProvenanceIO.read(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("configured: missing");
  }

  @Test
  void diffLeavesOutVolatileFacts() throws IOException {
    Path file = dir.resolve(ProvenanceIO.FILE);
    Files.writeString(file, UNVERSIONED);
    CellProvenance a = ProvenanceIO.read(file);
    Files.writeString(file, UNVERSIONED.replace("4242", "5151").replace("90.5", "91.5").replace("\"CPU\"", "\"NVIDIA H200\"")
        .replace("\"2\" }", "\"4\" }"));
    CellProvenance b = ProvenanceIO.read(file);
    assertThat(ProvenanceDiff.between(a, b)).containsExactly(
        new ProvenanceDiff.Change("device", "CPU", "NVIDIA H200"), new ProvenanceDiff.Change("system.cores", "2", "4"));
    assertThat(ProvenanceDiff.between(a, a)).isEmpty();
  }

  @Test
  void summaryFactsOfAnyLayout() throws IOException {
    Path file = dir.resolve(ProvenanceIO.FILE);
    Files.writeString(file, UNVERSIONED);
    Map<String, String> facts = ProvenanceIO.summaryFacts(file);
    assertThat(facts).containsEntry("observed.git_commit", "e7f2f87").containsEntry("observed.device", "CPU")
        .containsEntry("observed.system.os", "Linux 6.1").doesNotContainKey("observed.wall_s");
    Files.writeString(file, "{\"observed\": {\"versions\": {\"java\": \"17\"}, \"seeds\": [1, 2]}}");
    assertThat(ProvenanceIO.summaryFacts(file)).isEqualTo(new TreeMap<>(Map.of("observed.versions.java", "17")));
  }

  @Test
  void configuredNumbersKeepTheirJsonTypes() throws IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("lr", 1.0E-4);
    config.put("batch_size", 8);
    config.put("seed", 5_000_000_000L);
    config.put("targets", List.of("q", "v"));
    Observed o = ProvenanceIO.read(writeUnversioned()).observed();
    Path file = dir.resolve("p.json");
    ProvenanceIO.write(file, new CellProvenance(CellProvenance.SCHEMA, "id", 0, "g", config, o));
    assertThat(ProvenanceIO.read(file).configured()).isEqualTo(new TreeMap<>(config));
  }

  @Test
  void freshHeadWeightsAndThePrePassAreRecorded_andUnknownInOlderFiles() throws IOException {
    Observed old = ProvenanceIO.read(writeUnversioned()).observed();
    assertThat(old.freshHeadWeights()).isNull();
    assertThat(old.gradientPrePass()).isEmpty();
    Observed o = new Observed(old.software(), old.device(), old.tensorflowDevice(), old.tensorflowBuild(), old.system(),
        old.runner(), old.inputs(), List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias", "classifier.weight", "classifier.bias"), old.seeds(),
        old.timing(), old.outcome(), Map.of("mode", "train", "batches", "2"));
    Path file = dir.resolve("p.json");
    ProvenanceIO.write(file, new CellProvenance(CellProvenance.SCHEMA, "id", 0, "g", Map.of("model", "minilm"), o));
    assertThat(ProvenanceIO.read(file).observed()).isEqualTo(o);
    assertThat(JsonDocument.MAPPER.readTree(Files.readString(file)).at("/observed/fresh_head_weights/0").asText())
        .isEqualTo("bert.pooler.dense.weight");
    assertThat(JsonDocument.MAPPER.readTree(Files.readString(file)).at("/observed/gradient_pre_pass/mode").asText()).isEqualTo("train");
  }

  @Test
  void theTensorFlowDeviceAndBuildAreRecorded_andUnknownInOlderFiles() throws IOException {
    Observed old = ProvenanceIO.read(writeUnversioned()).observed();
    assertThat(old.tensorflowDevice()).isNull();
    assertThat(old.tensorflowBuild()).isNull();
    Observed o = new Observed(old.software(), old.device(), "CPU:0", "gpu", old.system(), old.runner(), old.inputs(),
        old.freshHeadWeights(), old.seeds(), old.timing(), old.outcome(), old.gradientPrePass());
    Path file = dir.resolve("p.json");
    ProvenanceIO.write(file, new CellProvenance(CellProvenance.SCHEMA, "id", 0, "g", Map.of("model", "minilm"), o));
    assertThat(ProvenanceIO.read(file).observed()).isEqualTo(o);
    JsonNode written = JsonDocument.MAPPER.readTree(Files.readString(file)).get("observed");
    assertThat(written.get("tensorflow_device").asText()).isEqualTo("CPU:0");
    assertThat(written.get("tensorflow_build").asText()).isEqualTo("gpu");
    // the report's summary lists them beside the device
    assertThat(ProvenanceIO.summaryFacts(file)).containsEntry("observed.tensorflow_device", "CPU:0")
        .containsEntry("observed.tensorflow_build", "gpu");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private Path writeUnversioned() throws IOException {
    Path file = dir.resolve("u.json");
    Files.writeString(file, UNVERSIONED);
    return file;
  }
}
