package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.testing.SharedFiles;

/**
 * {@code harness inspect forward --ids ... --output logits} on the decoder-family fixtures gives
 * every logit within 1e-4 of the independent float64 forward pass; for the sliding-window Mistral
 * that is also more than 1 away from full causal attention.
 */
class DecoderForwardCliTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2"})
  void logitsMatchTheFixtureWithin1e4(String name) throws IOException {
    Path dir = SharedFiles.fixture(name);
    JsonNode expected = JsonDocument.MAPPER.readTree(Files.readString(dir.resolve("expected_logits.json")));
    StringBuilder ids = new StringBuilder();
    expected.get("input_ids").forEach(n -> ids.append(ids.length() == 0 ? "" : ",").append(n.asInt()));
    CliRunner r = CliRunner.run("inspect", "forward", "--model", dir.toString(), "--ids", ids.toString(), "--output", "logits");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode logits = JsonDocument.MAPPER.readTree(r.out()).get("logits");
    assertThat(logits.size()).isEqualTo(expected.get("input_ids").size());
    assertThat(maxDiff(logits, expected.get("logits"))).isLessThan(1e-4);
    if (expected.has("logits_without_window")) {
      assertThat(maxDiff(logits, expected.get("logits_without_window"))).isGreaterThan(1.0);
    }
  }

  private static double maxDiff(JsonNode a, JsonNode b) {
    double max = 0;
    for (int t = 0; t < b.size(); t++) {
      for (int v = 0; v < b.get(t).size(); v++) {
        max = Math.max(max, Math.abs(a.get(t).get(v).asDouble() - b.get(t).get(v).asDouble()));
      }
    }
    return max;
  }
}
