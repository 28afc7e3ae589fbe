package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;

/**
 * {@code harness plan} with memory: the LoRA-SB arithmetic grid against an 80 GiB GPU names the
 * one cell that does not fit in float32 (Gemma-2-9B's LoRA-SB gradient pre-pass) and that bf16
 * with a smaller estimation batch would fit; PiSSA's rank sweep says full fine-tuning of a 7B model fits neither in float32 nor
 * in bf16; bad sizes and a GPU that is not there are exit 2.
 */
class PlanMemoryCliTest {
  static String grid(String name) {
    return Path.of(System.getProperty("harness.root", "../..")).resolve("grids").resolve(name).toString();
  }

  @Test
  void paperGridNamesTheCellThatNeedsBf16() {
    CliRunner r = CliRunner.run("plan", grid("paper-lora-sb-math.yaml"), "--no-files", "--device-memory", "80GiB");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("device memory 80.0 GiB (--device-memory): 1 of 8 cells do not fit: 7");
    assertThat(r.out()).containsPattern("(?m)^7 .* NO +gemma-2-9b/lora-sb r96/");
    assertThat(r.out()).contains("gradient pre-pass needs").contains("precision: bf16 with estimation_batch_size 2 fits");
    assertThat(r.out()).containsPattern("(?m)^1 .* yes +mistral-7b-v0.1/lora r32/");
  }

  @Test
  void fullFineTuningOfA7bModelFitsInNeitherPrecision() {
    CliRunner r = CliRunner.run("plan", grid("paper-pissa-ranks.yaml"), "--no-files", "--device-memory", "80GiB");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^0 .* NO +llama-2-7b/full/");
    assertThat(r.out()).contains("precision: bf16 does not fit either").contains("only a method that trains fewer parameters fits");
  }

  @Test
  void breakdownNamesEveryTerm() {
    CliRunner r = CliRunner.run("plan", grid("paper-lora-sb-math.yaml"), "--no-files", "--memory");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("frozen weights").contains("optimizer states").contains("gradient accumulators")
        .contains("activations").contains("generation cache").contains("gradient pre-pass:");
    assertThat(r.out()).doesNotContain("device memory");
  }

  @Test
  void jsonHoldsEveryPhaseInBytes(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("memory.json");
    CliRunner r = CliRunner.run("plan", grid("paper-lora-sb-math.yaml"), "--no-files", "--device-memory", "80GiB",
        "--memory-json", json.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode root = JsonDocument.MAPPER.readTree(json.toFile());
    assertThat(root.path("device_bytes").asLong()).isEqualTo(80L << 30);
    JsonNode cell = root.path("cells").get(7);
    assertThat(cell.path("fits").asBoolean()).isFalse();
    assertThat(cell.path("peak_phase").asText()).isEqualTo("gradient pre-pass");
    long sum = 0;
    for (JsonNode t : cell.path("phases").get(1).path("terms")) {
      sum += t.path("bytes").asLong();
    }
    assertThat(sum).isEqualTo(cell.path("peak_bytes").asLong());
    assertThat(root.path("cells").get(1).path("phases").get(0).path("terms").get(0).path("name").asText()).isEqualTo("frozen weights");
  }

  @Test
  void badSizeIsExitTwo() {
    CliRunner r = CliRunner.run("plan", grid("paper-lora-sb-math.yaml"), "--no-files", "--device-memory", "lots");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--device-memory").contains("'lots' is not a memory size");
  }

  @Test
  void noGpuToDetectIsExitTwo() {
    CliRunner r = CliRunner.run("plan", grid("paper-lora-sb-math.yaml"), "--no-files", "--detect-gpu");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("sees no GPU").contains("--device-memory");
  }

  @Test
  void inspectMemoryEstimatesFromConfigAlone() {
    CliRunner r = CliRunner.run("inspect", "memory", "--model", grid("models/mistral-7b-v0.1"), "--method", "lora", "--rank", "32",
        "--batch", "1", "--length", "512", "--grad-accum", "32");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("gradient accumulators").contains("estimated peak");
  }
}
