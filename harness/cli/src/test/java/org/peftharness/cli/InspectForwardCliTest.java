package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.testing.SharedFiles;

class InspectForwardCliTest {
  @Test
  void versionNamesHarnessCommitTensorFlowAndJava() {
    CliRunner r = CliRunner.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("harness 0.1.0").contains("commit ").contains("TensorFlow Java 1.1.0")
        .contains("native TensorFlow 2.18").contains("Java 17");
  }

  @Test
  void minilmSentencePairMatchesTheIndependentFixture() throws IOException {
    JsonNode fixture = JsonDocument.MAPPER.readTree(Files.readString(SharedFiles.fixture("minilm-encoder.json")))
        .get("cases").get("pair");
    CliRunner r = CliRunner.run("inspect", "forward", "--model", "minilm",
        "--text", fixture.get("text").asText(), "--pair", fixture.get("text_pair").asText());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode out = JsonDocument.MAPPER.readTree(r.out());
    assertThat(out.get("input_ids")).isEqualTo(fixture.get("input_ids"));
    assertThat(out.get("token_type_ids")).isEqualTo(fixture.get("token_type_ids"));
    JsonNode hidden = out.get("hidden");
    assertThat(hidden.size()).isEqualTo(fixture.get("input_ids").size());
    for (int t = 0; t < hidden.size(); t++) {
      assertThat(hidden.get(t).size()).isEqualTo(384);
      for (int j = 0; j < 384; j++) {
        assertThat(hidden.get(t).get(j).asDouble())
            .isCloseTo(fixture.get("last_hidden_state").get(t).get(j).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void decoderIdsGiveLogitsOfTheVocabularyWidth() throws IOException {
    String dir = SharedFiles.fixture("tiny-llama").toString();
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(SharedFiles.fixture("tiny-llama/expected_logits.json")));
    StringBuilder ids = new StringBuilder();
    expected.get("input_ids").forEach(n -> ids.append(ids.length() == 0 ? "" : ",").append(n.asInt()));
    CliRunner r = CliRunner.run("inspect", "forward", "--model", dir, "--ids", ids.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode logits = JsonDocument.MAPPER.readTree(r.out()).get("logits");
    assertThat(logits.size()).isEqualTo(10);
    assertThat(logits.get(9).size()).isEqualTo(101);
    assertThat(logits.get(9).get(5).asDouble())
        .isCloseTo(expected.get("logits").get(9).get(5).asDouble(), org.assertj.core.data.Offset.offset(1e-4));

    CliRunner hidden = CliRunner.run("inspect", "forward", "--model", dir, "--text", "hi", "--output", "hidden");
    assertThat(hidden.exitCode()).as(hidden.err()).isZero();
    assertThat(JsonDocument.MAPPER.readTree(hidden.out()).get("hidden").get(0).size()).isEqualTo(64);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(CliRunner.run("inspect", "forward", "--model", "minilm").exitCode()).isEqualTo(2);
    assertThat(CliRunner.run("inspect", "forward", "--model", "minilm", "--ids", "1", "--text", "x").exitCode()).isEqualTo(2);
    CliRunner logits = CliRunner.run("inspect", "forward", "--model", "minilm", "--ids", "101,102", "--output", "logits");
    assertThat(logits.exitCode()).isEqualTo(2);
    assertThat(logits.err()).contains("argument --output").contains("no language-model head");
    CliRunner outOfRange = CliRunner.run("inspect", "forward", "--model", "minilm", "--ids", "101,40000");
    assertThat(outOfRange.exitCode()).isEqualTo(2);
    assertThat(outOfRange.err()).contains("token id 40000 is outside the vocabulary");
  }
}
