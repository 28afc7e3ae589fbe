package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.testing.SharedFiles;

/** `harness inspect init` against the independently computed method-init fixtures, to 1e-4. */
class InspectInitCliTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
      "tall, pissa, 4, 8, '', 'A=pissa.A,B=pissa.B,W_base=pissa.W_res'",
      "wide, pissa, 3, 3, '', 'A=pissa.A,B=pissa.B,W_base=pissa.W_res'",
      "tall, lora-ga, 4, 8, G, 'A=loraga.A,B=loraga.B,W_base=loraga.W_res'",
      "wide, lora-ga, 3, 3, G, 'A=loraga.A,B=loraga.B,W_base=loraga.W_res'",
      "tall, lora-xs, 4, 8, '', 'A=loraxs.A,B=loraxs.B'",
      "tall, lora-sb, 4, 8, G, 'A=lorasb.A,B=lorasb.B,R=lorasb.R'",
      "wide, lora-sb, 3, 3, G, 'A=lorasb.A,B=lorasb.B,R=lorasb.R'"})
  void matchesTheFixtures(String file, String method, String rank, String alpha, String gradient, String expected) throws Exception {
    Path weights = SharedFiles.fixture("method-init/" + file + ".safetensors");
    Path out = dir.resolve("out.safetensors");
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("inspect", "init", "--method", method,
        "--rank", rank, "--alpha", alpha, "--weights", weights.toString(), "--weight-name", "W0", "--out", out.toString()));
    if (!gradient.isEmpty()) {
      args.addAll(java.util.List.of("--gradient-name", gradient));
    }
    if (method.equals("lora-sb")) {
      var meta = org.peftharness.core.json.JsonDocument.MAPPER.readTree(SafetensorsFile.open(weights).metadata().get("json"));
      args.addAll(java.util.List.of("--lr", meta.get("lr").asText(), "--warmup-ratio", meta.get("warmup_ratio").asText(),
          "--estimation-steps", meta.get("estimation_steps").asText()));
    }
    CliRunner r = CliRunner.run(args.toArray(new String[0]));
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (SafetensorsFile got = SafetensorsFile.open(out); SafetensorsFile want = SafetensorsFile.open(weights)) {
      for (String pair : expected.split(",")) {
        String[] kv = pair.split("=");
        FloatTensor g = got.readFloat(kv[0]);
        FloatTensor w = want.readFloat(kv[1]);
        assertThat(g.shape()).as(kv[0]).containsExactly(w.shape());
        for (int i = 0; i < g.size(); i++) {
          assertThat((double) Math.abs(g.data()[i] - w.data()[i])).as("%s[%d]", kv[0], i).isLessThan(1e-4);
        }
      }
    }
  }

  /**
   * DoRA: LoRA's A (kaiming-uniform) and B = 0, and the magnitude {@code m} = the row norms of W0
   * (PEFT tuners/lora/dora.py get_weight_norm, norm over dim 1 of W0 + s·B·A with B = 0), computed here in float64.
   */
  @Test
  void doraWritesTheMagnitudeAsTheRowNormsOfW0() throws Exception {
    Path weights = SharedFiles.fixture("method-init/tall.safetensors");
    Path out = dir.resolve("dora.safetensors");
    CliRunner r = CliRunner.run("inspect", "init", "--method", "dora", "--rank", "4", "--alpha", "8", "--weights",
        weights.toString(), "--weight-name", "W0", "--out", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (SafetensorsFile got = SafetensorsFile.open(out); SafetensorsFile in = SafetensorsFile.open(weights)) {
      FloatTensor w0 = in.readFloat("W0");
      int m = Math.toIntExact(w0.dim(0));
      int n = Math.toIntExact(w0.dim(1));
      assertThat(got.names()).containsExactlyInAnyOrder("A", "B", "m", "W_base");
      assertThat(got.readFloat("A").shape()).containsExactly(4, n);
      assertThat(got.readFloat("B").data()).containsOnly(0f);
      assertThat(got.readFloat("W_base").data()).containsExactly(w0.data());
      FloatTensor mag = got.readFloat("m");
      assertThat(mag.shape()).containsExactly(m);
      for (int i = 0; i < m; i++) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
          sum += (double) w0.data()[i * n + j] * w0.data()[i * n + j];
        }
        assertThat(mag.data()[i]).as("m[%d]", i).isEqualTo((float) Math.sqrt(sum));
      }
    }
  }
}
