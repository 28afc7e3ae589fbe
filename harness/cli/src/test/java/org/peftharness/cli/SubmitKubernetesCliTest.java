package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code harness submit --k8s} end to end, in-process. The pods see only the current folder (the
 * claim), so the grid and results live in a folder under the module's target/, which is the
 * current folder when tests run.
 */
class SubmitKubernetesCliTest {
  Path dir;
  Path grid;

  @BeforeEach
  void grid() throws IOException {
    dir = Path.of("target", "k8s-test", UUID.randomUUID().toString());
    Files.createDirectories(dir);
    grid = dir.resolve("g.yaml");
    Files.writeString(grid, String.join("\n",
        "name: k8s-cli",
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1, 2, 3]",
        "data_dir: data",
        "methods:",
        "  - {name: lora, ranks: [4], alpha: 8}",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 24, limit_train: 16}",
        "eval: {limit: 16}", ""));
  }

  @AfterEach
  void clean() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void dryRunWritesAValidManifestUnderTheResultsFolder() throws Exception {
    Path out = dir.resolve("runs");
    CliRunner r = CliRunner.run("submit", "--grid", grid.toString(), "--k8s", "--image", "img", "--dry-run", "--out", out.toString(),
        "--cells-per-task", "2", "--mem", "8Gi");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    List<Path> manifests;
    try (Stream<Path> s = Files.list(out.resolve("k8s"))) {
      manifests = s.toList();
    }
    assertThat(manifests).hasSize(1);
    String yaml = Files.readString(manifests.get(0));
    assertThat(r.out()).contains(yaml).contains("kubectl apply -f " + manifests.get(0)).contains("3 cell(s) in 2 completion index(es)");
    JsonNode job = new ObjectMapper().valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
    V1Job.validateJsonElement(JsonParser.parseString(job.toString()));
    assertThat(manifests.get(0).getFileName()).hasToString(job.at("/metadata/name").asText() + ".yaml");
    List<String> args = new ArrayList<>();
    job.at("/spec/template/spec/containers/0/args").forEach(a -> args.add(a.asText()));
    // the data folder the grid names is passed on, relative to the folder the claim stands for
    assertThat(args).containsSubsequence("--grid", grid.toString()).containsSubsequence("--out", out.toString())
        .containsSubsequence("--data-dir", dir.resolve("data").toString())
        .containsSubsequence("--cell-index", "0-2", "--cells-per-task", "2");
  }

  @Test
  void withoutAnImageNothingIsWritten() {
    CliRunner r = CliRunner.run("submit", "--grid", grid.toString(), "--k8s", "--dry-run", "--out", dir.resolve("runs").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--image").doesNotContain("Exception");
    assertThat(dir.resolve("runs/k8s")).doesNotExist();
  }

  @Test
  void resultsOutsideTheCurrentFolderAreRefused(@TempDir Path elsewhere) {
    CliRunner r = CliRunner.run("submit", "--grid", grid.toString(), "--k8s", "--image", "img", "--dry-run",
        "--out", elsewhere.resolve("runs").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--out").contains("mounted at /workspace").contains("current folder").doesNotContain("Exception");
  }

  @Test
  void aMemorySizeInSlurmOrDiskFormIsRefused() {
    CliRunner r = CliRunner.run("submit", "--grid", grid.toString(), "--k8s", "--image", "img", "--dry-run",
        "--out", dir.resolve("runs").toString(), "--mem", "32GB");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--mem").contains("32Gi");
  }

  @Test
  void anOptionOfTheOtherSchedulerIsRefusedNotIgnored() {
    CliRunner k8s = CliRunner.run("submit", "--grid", grid.toString(), "--k8s", "--image", "img", "--dry-run",
        "--out", dir.resolve("runs").toString(), "--partition", "gpu");
    assertThat(k8s.exitCode()).isEqualTo(2);
    assertThat(k8s.err()).contains("--partition").contains("only with --slurm");
    CliRunner slurm = CliRunner.run("submit", "--grid", grid.toString(), "--slurm", "--dry-run",
        "--out", dir.resolve("runs").toString(), "--pvc", "claim");
    assertThat(slurm.exitCode()).isEqualTo(2);
    assertThat(slurm.err()).contains("--pvc").contains("only with --k8s");
    assertThat(dir.resolve("runs/k8s")).doesNotExist();
    assertThat(dir.resolve("runs/slurm")).doesNotExist();
  }
}
