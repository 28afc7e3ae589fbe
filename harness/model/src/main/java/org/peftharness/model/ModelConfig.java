package org.peftharness.model;

import java.nio.file.Path;
import org.peftharness.core.json.JsonDocument;

/**
 * The architecture facts of a Hugging Face {@code config.json}, validated: every field a graph
 * needs is present, typed, and consistent (heads divide the hidden size, query heads are a
 * multiple of key/value heads), else an error names the file, line and field. The
 * {@link Architecture} that read it builds the graph; fields another family does not have keep
 * their Hugging Face defaults ({@code ropeScaling}, {@code slidingWindow},
 * {@code classifierDropout} and {@code scoreShaping} are null when absent).
 */
public record ModelConfig(
    Architecture architecture,
    String modelType,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int intermediateSize,
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    double normEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    SlidingWindow slidingWindow,
    int padTokenId,
    int bosTokenId,
    int eosTokenId,
    String hiddenAct,
    boolean tieWordEmbeddings,
    double hiddenDropout,
    double attentionDropout,
    double initializerRange,
    Double classifierDropout,
    ScoreShaping scoreShaping) {

  /** Reads a config.json with the built-in architecture its {@code model_type} names. */
  public static ModelConfig read(Path configJson) {
    return ArchitectureRegistry.BUILT_IN.readConfig(configJson);
  }

  public static ModelConfig from(JsonDocument doc) {
    return ArchitectureRegistry.BUILT_IN.readConfig(doc);
  }

  /** Key/value projection width: heads sharing keys in grouped-query attention. */
  public int kvDim() {
    return numKvHeads * headDim;
  }

  public int qDim() {
    return numHeads * headDim;
  }
}
