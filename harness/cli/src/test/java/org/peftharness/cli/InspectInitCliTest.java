package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.testing.JacobiSvd;
import org.peftharness.testing.SharedFiles;

/** `harness inspect init` against the independently computed method-init fixtures, to 1e-4, and LoRA-FA's SVD inits. */
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

  /**
   * svd-lorafa's init through the CLI on a square matrix: exactly {@code A = (U_r S_r)ᵀ} and
   * {@code B = Vh[:, :r]} of an SVD computed here independently (float64 Jacobi) under the
   * documented sign convention, W_base = W0; and the intended variant's W_base + s·B·A = W0.
   */
  @Test
  void loraFaSvdInitsOnASquareMatrix() throws Exception {
    int n = 10;
    int r = 3;
    SplittableRandom rng = new SplittableRandom(8);
    float[] w = new float[n * n];
    double[][] rows = new double[n][n];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
      rows[i / n][i % n] = w[i];
    }
    Path weights = dir.resolve("square.safetensors");
    SafetensorsWriter.write(weights, Map.of("W0", new FloatTensor(new long[] {n, n}, w)), Map.of());
    JacobiSvd svd = JacobiSvd.of(rows);

    Path out = dir.resolve("seed.safetensors");
    CliRunner run = CliRunner.run("inspect", "init", "--method", "lora-fa", "--rank", "" + r, "--alpha", "1",
        "--option", "init=seed-svd", "--weights", weights.toString(), "--weight-name", "W0", "--out", out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (SafetensorsFile f = SafetensorsFile.open(out)) {
      assertThat(f.names()).containsExactlyInAnyOrder("A", "B", "W_base");
      assertThat(f.metadata()).containsEntry("init", "seed-svd");
      FloatTensor a = f.readFloat("A");
      FloatTensor b = f.readFloat("B");
      assertThat(a.shape()).containsExactly(r, n);
      assertThat(b.shape()).containsExactly(n, r);
      assertThat(f.readFloat("W_base").data()).isEqualTo(w);
      for (int k = 0; k < r; k++) {
        for (int i = 0; i < n; i++) {
          assertThat((double) a.get(k, i)).as("A[%d,%d]", k, i).isCloseTo(svd.u()[i][k] * svd.s()[k], Offset.offset(1e-5));
          assertThat((double) b.get(i, k)).as("B[%d,%d]", i, k).isCloseTo(svd.v()[k][i], Offset.offset(1e-5));
        }
      }
    }

    Path res = dir.resolve("residual.safetensors");
    run = CliRunner.run("inspect", "init", "--method", "lora-fa", "--rank", "" + r, "--alpha", "1",
        "--option", "init=svd-residual", "--weights", weights.toString(), "--weight-name", "W0", "--out", res.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    try (SafetensorsFile f = SafetensorsFile.open(res)) {
      FloatTensor a = f.readFloat("A");
      FloatTensor b = f.readFloat("B");
      FloatTensor base = f.readFloat("W_base");
      double s = 1.0 / r;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double ba = 0;
          for (int k = 0; k < r; k++) {
            ba += (double) b.get(i, k) * a.get(k, j);
          }
          assertThat(base.get(i, j) + s * ba).isCloseTo(rows[i][j], Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void seedSvdRefusesANonSquareMatrix() throws Exception {
    Path weights = dir.resolve("tall.safetensors");
    SafetensorsWriter.write(weights, Map.of("W0", new FloatTensor(new long[] {6, 4}, new float[24])), Map.of());
    CliRunner run = CliRunner.run("inspect", "init", "--method", "lora-fa", "--rank", "2", "--alpha", "1",
        "--option", "init=seed-svd", "--weights", weights.toString(), "--weight-name", "W0", "--out",
        dir.resolve("o.safetensors").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("square").contains("6x4");
  }
}
