package org.peftharness.model;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.runtime.RuntimeNotice;
import org.tensorflow.types.family.TNumber;

/**
 * A model as the user named it: its config, its weights and (opened on first use) its tokenizer.
 * {@code minilm} is the embedded all-MiniLM-L6-v2; anything else is a Hugging Face model folder.
 */
public final class PretrainedModel implements AutoCloseable {
  public static final String MINILM = "minilm";
  /** The Hugging Face Hub id of the model embedded as {@code minilm} (the ONNX export's source). */
  public static final String MINILM_HUB_ID = "sentence-transformers/all-MiniLM-L6-v2";

  private final String name;
  private final ModelConfig config;
  private final Weights weights;
  private final Supplier<TextTokenizer> tokenizerSource;
  private TextTokenizer tokenizer;

  PretrainedModel(String name, ModelConfig config, Weights weights, Supplier<TextTokenizer> tokenizerSource) {
    this.name = name;
    this.config = config;
    this.weights = weights;
    this.tokenizerSource = tokenizerSource;
  }

  /** Opens {@code minilm} or a model folder (config.json, *.safetensors, tokenizer.json). */
  public static PretrainedModel open(String spec) {
    return open(spec, ArchitectureRegistry.BUILT_IN);
  }

  /** As {@link #open(String)}, reading a folder's config.json with the given architectures. */
  public static PretrainedModel open(String spec, ArchitectureRegistry architectures) {
    if (spec.equals(MINILM)) {
      return EmbeddedMiniLm.open();
    }
    Path dir = Path.of(spec);
    ModelConfig config = architectures.readConfig(dir.resolve("config.json"));
    Weights weights = new SafetensorsWeights(dir);
    return new PretrainedModel(spec, config, weights, () -> TextTokenizer.open(dir.resolve("tokenizer.json")));
  }

  /** Only the config of {@code minilm} or a model folder: cheap, for planning and validation. */
  public static ModelConfig readConfig(String spec) {
    return spec.equals(MINILM) ? EmbeddedMiniLm.config() : ModelConfig.read(Path.of(spec).resolve("config.json"));
  }

  public String name() {
    return name;
  }

  /**
   * What transformers can load this model from ({@code from_pretrained}, PEFT's
   * {@code base_model_name_or_path}): the Hub id of the embedded model, or the folder as given.
   */
  public String loadableName() {
    return name.equals(MINILM) ? MINILM_HUB_ID : name;
  }

  public ModelConfig config() {
    return config;
  }

  public Weights weights() {
    return weights;
  }

  public TextTokenizer tokenizer() {
    if (tokenizer == null) {
      tokenizer = tokenizerSource.get();
    }
    return tokenizer;
  }

  /**
   * Builds the model's graph in type {@code T} and fills it with the pretrained weights. The first
   * graph of a process says first, in one line, when a GPU build of TensorFlow found no GPU.
   */
  public <T extends TNumber> GraphModel<T> buildGraph(Class<T> type, LinearFactory linears) {
    return buildGraph(type, linears, Precision.FP32);
  }

  /** As {@link #buildGraph(Class, LinearFactory)}, in the given precision ({@link Precision}). */
  public <T extends TNumber> GraphModel<T> buildGraph(Class<T> type, LinearFactory linears, Precision precision) {
    RuntimeNotice.sayOnce();
    GraphModel<T> g = config.architecture().build(config, type, linears, precision);
    try {
      g.load(weights);
      return g;
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  @Override
  public void close() {
    weights.close();
    if (tokenizer != null) {
      tokenizer.close();
    }
  }
}
