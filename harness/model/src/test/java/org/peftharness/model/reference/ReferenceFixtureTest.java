package org.peftharness.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.model.PretrainedModel;
import org.peftharness.testing.SharedFiles;

/**
 * The float64 references against the independent fixtures in ../shared/fixtures (numpy and ONNX
 * Runtime, see its README): this is what makes the references trustworthy enough to hold the
 * graphs to in clones that lack the fixtures. The decoders agree with numpy to about 1e-14;
 * MiniLM agrees with float32 ONNX Runtime to about 2e-6, as the fixture's own numpy pass does.
 * Skips where ../shared is absent.
 */
class ReferenceFixtureTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama-gqa-tied", "tiny-mistral-sw", "tiny-qwen2", "tiny-gemma", "tiny-gemma2"})
  void decoderReferenceMatchesTheNumpyLogits(String name, TestReporter reporter) throws IOException {
    Path dir = SharedFiles.fixture(name);
    JsonNode expected = json(dir.resolve("expected_logits.json"));
    double[][] logits = new DecoderReference(DecoderConfig.fromJson(json(dir.resolve("config.json"))),
        ReferenceWeights.read(dir)).logits(ints(expected.get("input_ids")), null);
    double diff = maxDiff(logits, expected.get("logits"));
    reporter.publishEntry(name + " max |reference - numpy|", String.valueOf(diff));
    assertThat(diff).isLessThan(1e-10);
  }

  /** With the window switched off, the reference gives the fixture's full-causal logits, and they differ from the windowed ones. */
  @Test
  void mistralWithoutItsWindowMatchesTheFullCausalLogits(TestReporter reporter) throws IOException {
    Path dir = SharedFiles.fixture("tiny-mistral-sw");
    JsonNode expected = json(dir.resolve("expected_logits.json"));
    ObjectNode config = (ObjectNode) json(dir.resolve("config.json"));
    config.putNull("sliding_window");
    int[] ids = ints(expected.get("input_ids"));
    double[][] logits = new DecoderReference(DecoderConfig.fromJson(config), ReferenceWeights.read(dir)).logits(ids, null);
    double diff = maxDiff(logits, expected.get("logits_without_window"));
    reporter.publishEntry("tiny-mistral-sw without window max |reference - numpy|", String.valueOf(diff));
    assertThat(diff).isLessThan(1e-10);
    assertThat(maxDiff(logits, expected.get("logits"))).as("the window changes the logits").isGreaterThan(1);
  }

  @Test
  void encoderReferenceMatchesOnnxRuntimeOnMiniLm(TestReporter reporter) throws IOException {
    JsonNode fixture = json(SharedFiles.fixture("minilm-encoder.json"));
    EncoderConfig config;
    try (InputStream in = PretrainedModel.class.getResourceAsStream("minilm/config.json")) {
      config = EncoderConfig.fromJson(JsonDocument.MAPPER.readTree(in));
    }
    ReferenceWeights weights;
    try (PretrainedModel model = PretrainedModel.open(PretrainedModel.MINILM)) {
      weights = ReferenceWeights.read(model.weights());
    }
    EncoderReference reference = new EncoderReference(config, weights);
    for (var it = fixture.get("cases").fields(); it.hasNext(); ) {
      var c = it.next();
      int[] ids = ints(c.getValue().get("input_ids"));
      int[] types = ints(c.getValue().get("token_type_ids"));
      double[][] h = reference.lastHiddenState(ids, types, null);
      double diff = maxDiff(h, c.getValue().get("last_hidden_state"));
      reporter.publishEntry("minilm " + c.getKey() + " max |reference - onnxruntime|", String.valueOf(diff));
      assertThat(diff).as(c.getKey()).isLessThan(1e-5);

      // right padding with mask 0 leaves the real tokens' states as they were
      int[] padded = Arrays.copyOf(ids, ids.length + 3);
      int[] paddedTypes = Arrays.copyOf(types, ids.length + 3);
      int[] mask = new int[ids.length + 3];
      Arrays.fill(mask, 0, ids.length, 1);
      double[][] p = reference.lastHiddenState(padded, paddedTypes, mask);
      assertThat(maxDiff(Arrays.copyOf(p, ids.length), h)).as(c.getKey() + " padded").isLessThan(1e-12);
    }
  }

  static JsonNode json(Path file) throws IOException {
    return JsonDocument.MAPPER.readTree(Files.readString(file));
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static double maxDiff(double[][] actual, JsonNode expected) {
    assertThat(actual.length).isEqualTo(expected.size());
    double max = 0;
    for (int t = 0; t < actual.length; t++) {
      assertThat(actual[t].length).isEqualTo(expected.get(t).size());
      for (int j = 0; j < actual[t].length; j++) {
        max = Math.max(max, Math.abs(actual[t][j] - expected.get(t).get(j).asDouble()));
      }
    }
    return max;
  }

  private static double maxDiff(double[][] a, double[][] b) {
    double max = 0;
    for (int t = 0; t < a.length; t++) {
      for (int j = 0; j < a[t].length; j++) {
        max = Math.max(max, Math.abs(a[t][j] - b[t][j]));
      }
    }
    return max;
  }
}
