package org.peftharness.model;

import java.util.List;
import java.util.Optional;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.model.graph.Blueprint;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.types.family.TNumber;

/**
 * A model family the harness builds as a TensorFlow graph: everything that differs between
 * families, in one place. Adding a family is one implementation registered in an
 * {@link ArchitectureRegistry}; nothing else branches on the family.
 */
public interface Architecture {
  /** Short name for listings, e.g. {@code BERT}. */
  String name();

  /** One line for {@code harness ls models}: the model family and what defines it. */
  String summary();

  /** The Hugging Face {@code model_type} values this family reads (lower case). */
  List<String> modelTypes();

  HeadKind headKind();

  /** The head trained on top of an encoder, or empty for a causal LM (whose own head stays frozen). */
  Optional<ClassifierHead> classifierHead();

  /**
   * Reads and validates config.json, refusing (with the file, line and key) any setting the
   * graph cannot honour rather than ignoring it.
   *
   * @param modelType the lower-cased {@code model_type}, one of {@link #modelTypes()}
   */
  ModelConfig readConfig(JsonDocument doc, String modelType);

  /** Every pretrained tensor, from the config alone: the description {@link #build} declares. */
  Blueprint blueprint(ModelConfig config);

  /** Builds the (unfilled) graph from {@link #blueprint}, every linear map through {@code linears}, in {@code precision}. */
  <T extends TNumber> GraphModel<T> build(ModelConfig config, Class<T> type, LinearFactory linears, Precision precision);

  /** The {@code target_modules} a method adapts when the grid names none. */
  List<String> defaultTargets();

  /** Where the bare model sits inside transformers' task model ({@code bert.}, {@code roberta.}); "" when at the top. */
  String peftModulePrefix();

  default List<LinearSite> linearSites(ModelConfig config) {
    return blueprint(config).linearSites();
  }

  default long parameterCount(ModelConfig config) {
    return blueprint(config).parameterCount();
  }
}
