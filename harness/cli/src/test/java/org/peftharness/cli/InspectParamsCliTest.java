package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `harness inspect params` from config.json alone reproduces docs/METHODS.md §10 for the models
 * whose architecture the harness builds (the configs ship in grids/models), the Gemma and
 * Gemma-2 rows included: the counts come from the same blueprint the graph is built from.
 */
class InspectParamsCliTest {
  static Path model(String name) {
    return Path.of(System.getProperty("harness.root", "../..")).resolve("grids/models").resolve(name);
  }

  @ParameterizedTest(name = "{0} {1} r{2}")
  @CsvSource({
      "mistral-7b-v0.1, lora, 32, '83,886,080'",
      "mistral-7b-v0.1, lora, 64, '167,772,160'",
      "mistral-7b-v0.1, lora-fa, 96, '132,120,576'",
      "mistral-7b-v0.1, lora-sb, 96, '2,064,384'",
      "mistral-7b-v0.1, lora-xs, 64, '917,504'",
      "gemma-2-9b, lora, 32, '108,036,096'",
      "gemma-2-9b, pissa, 64, '216,072,192'",
      "gemma-2-9b, lora-ga, 96, '324,108,288'",
      "gemma-2-9b, lora-fa, 32, '59,179,008'",
      "gemma-2-9b, lora-fa, 96, '177,537,024'",
      "gemma-2-9b, lora-sb, 64, '1,204,224'",
      "gemma-2-9b, lora-xs, 96, '2,709,504'",
      "gemma-7b, lora, 32, '100,007,936'",
      "gemma-7b, pissa, 96, '300,023,808'",
      "gemma-7b, lora-fa, 32, '60,555,264'",
      "gemma-7b, lora-fa, 96, '181,665,792'",
      "gemma-7b, lora-sb, 32, '200,704'",
      "gemma-7b, lora-xs, 96, '1,806,336'",
      "llama-3.2-3b, pissa, 32, '48,627,712'",
      "llama-3.2-3b, lora-ga, 96, '145,883,136'",
      "llama-3.2-3b, lora-fa, 64, '49,545,216'",
      "llama-3.2-3b, lora-sb, 96, '1,806,336'",
      "roberta-large, lora, 8, '2,162,688'",
      "roberta-large, lora, 24, '6,488,064'",
      "roberta-large, lora-xs, 16, '24,576'",
      "roberta-large, lora-sb, 24, '55,296'"})
  void reproducesTheTableOfSection10(String model, String method, int rank, String adapterParams) {
    CliRunner r = CliRunner.run("inspect", "params", "--model", model(model).toString(), "--method", method, "--rank",
        Integer.toString(rank));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("adapter params\\s+" + adapterParams.replace(",", "\\,") + "\\s");
  }

  /**
   * DoRA: LoRA's count plus one magnitude per output feature of every targeted matrix, the DoRA
   * column of docs/METHODS.md §10; RoBERTa-large, which has no entry there, adds 24·4·1024 to LoRA's.
   */
  @ParameterizedTest(name = "{0} dora r{1}")
  @CsvSource({"mistral-7b-v0.1, 32, '85,262,336'", "gemma-2-9b, 96, '325,957,632'", "gemma-7b, 32, '101,900,288'",
      "llama-3.2-3b, 32, '49,401,856'", "roberta-large, 8, '2,260,992'"})
  void doraCountsItsMagnitudeVectors(String model, int rank, String adapterParams) {
    CliRunner r = CliRunner.run("inspect", "params", "--model", model(model).toString(), "--method", "dora", "--rank",
        Integer.toString(rank));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("adapter params\\s+" + adapterParams.replace(",", "\\,") + "\\s");
  }

  @ParameterizedTest
  @CsvSource({"mistral-7b-v0.1, '7,241,732,096'", "roberta-large, '354,310,144'", "gemma-7b, '8,537,680,896'",
      "gemma-2-9b, '9,241,705,984'"})
  void fullFineTuningCountsEveryParameter(String model, String total) {
    CliRunner r = CliRunner.run("inspect", "params", "--model", model(model).resolve("config.json").toString(), "--method", "full");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("model params    " + total);
  }

  /** The embedded MiniLM has no pooler, so a run draws one fresh and trains it: the audit counts what a run records. */
  @ParameterizedTest
  @CsvSource({"lora, '351,362'", "full, '22,713,986'"})
  void theEmbeddedMiniLmsFreshPoolerCountsAsHeadAsInARun(String method, String trainable) {
    CliRunner r = CliRunner.run("inspect", "params", "--model", "minilm", "--method", method);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("trainable +" + trainable + " ").contains("pooler 384 x 384 + 384, drawn fresh");
  }

  @Test
  void aRankNoTargetMatrixHoldsIsRefusedAsInValidate() {
    CliRunner r = CliRunner.run("inspect", "params", "--model", "minilm", "--method", "lora", "--rank", "100000");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("rank: lora needs rank <= min(m, n)").contains("(384x384)").doesNotContain("Exception");
  }

  @Test
  void noneTrainsNothingAsItsCellsRecord() {
    CliRunner r = CliRunner.run("inspect", "params", "--model", "minilm", "--method", "none");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("adapter params  0").contains("head params     0").contains("trainable       0 ");
  }
}
