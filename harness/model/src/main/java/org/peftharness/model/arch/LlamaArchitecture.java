package org.peftharness.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.Architecture;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.HeadKind;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.peftharness.model.RopeScaling;
import org.peftharness.model.ScoreShaping;
import org.peftharness.model.SlidingWindow;
import org.peftharness.model.graph.Activation;
import org.peftharness.model.graph.DecoderBlueprint;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.types.family.TNumber;

/**
 * Llama and Mistral as transformers' LlamaForCausalLM / MistralForCausalLM compute them: RMSNorm,
 * rotate-half RoPE (optionally Llama-3 rescaled), grouped-query attention, a gated MLP, causal LM
 * head (models/llama/modeling_llama.py, models/mistral/modeling_mistral.py). Mistral's
 * {@code sliding_window} makes every layer slide ({@link SlidingWindow}). A variant with another
 * MLP nonlinearity overrides {@link #mlpActivation()}.
 */
public class LlamaArchitecture implements Architecture {
  /** All seven projections, as the LoRA-GA / LoRA-SB / PiSSA decoder scripts adapt. */
  private static final List<String> TARGETS =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  @Override
  public String name() {
    return "Llama";
  }

  @Override
  public String summary() {
    return "decoder: RMSNorm, rotary positions, grouped-query attention, SiLU-gated MLP; causal LM head";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("llama", "mistral");
  }

  @Override
  public HeadKind headKind() {
    return HeadKind.CAUSAL_LM;
  }

  @Override
  public Optional<ClassifierHead> classifierHead() {
    return Optional.empty();
  }

  @Override
  public List<String> defaultTargets() {
    return TARGETS;
  }

  @Override
  public String peftModulePrefix() {
    return "";
  }

  /** The {@code hidden_act} the graph builds, by transformers' name. */
  protected String hiddenAct() {
    return "silu";
  }

  /** The gate's nonlinearity in {@code down(act(gate(x)) * up(x))}. */
  protected Activation mlpActivation() {
    return Activation.SILU;
  }

  /** The family's structure for a config it read: Llama's, with {@link #mlpActivation()}. */
  protected DecoderBlueprint.Variant variant(ModelConfig config) {
    return DecoderBlueprint.Variant.llama(mlpActivation());
  }

  /** What the family's transformers config class defaults {@code max_position_embeddings} to. */
  protected int defaultMaxPositions() {
    return 4096;
  }

  /** {@code head_dim} when the config leaves it out, or null for {@code hidden_size / num_attention_heads}. */
  protected Integer defaultHeadDim() {
    return null;
  }

  /** {@code tie_word_embeddings} when the config leaves it out. */
  protected boolean defaultTiedHead() {
    return false;
  }

  /** The activation the config asks for, which must be the one the graph builds. */
  protected String activation(JsonDocument doc) {
    return ConfigKeys.activation(doc, hiddenAct(), "decoders");
  }

  /**
   * The layers that slide and their window, or null. MistralConfig's {@code sliding_window} (null
   * or absent: full attention) applies to every layer (modeling_mistral.py MistralModel.forward
   * builds one sliding mask for all layers). LlamaConfig has no such key, and transformers' Llama
   * ignores one, so only Mistral reads it.
   */
  protected SlidingWindow slidingWindow(JsonDocument doc, String modelType, int layers) {
    if (!modelType.equals("mistral") || !doc.has("sliding_window")) {
      return null;
    }
    return SlidingWindow.everyLayer(doc.positiveInt("sliding_window"), layers);
  }

  /** The family's score scale and soft caps, or null for plain {@code head_dim^-0.5} scores. */
  protected ScoreShaping scoreShaping(JsonDocument doc) {
    return null;
  }

  /** Config keys of other families' features that this family implements (see {@link ConfigKeys#refuseUnimplemented}). */
  protected Set<String> implementedKeys() {
    return Set.of();
  }

  @Override
  public ModelConfig readConfig(JsonDocument doc, String modelType) {
    ConfigKeys.refuseUnimplemented(doc, name(), implementedKeys());
    ConfigKeys.Dims d = ConfigKeys.dims(doc, defaultMaxPositions(), defaultHeadDim());
    if (d.headDim() % 2 != 0) {
      throw doc.error("head_dim", "rotary embeddings need an even head dimension, got " + d.headDim());
    }
    String act = activation(doc);
    double eps = doc.optDouble("rms_norm_eps").orElse(1e-6);
    int pad = doc.optInt("pad_token_id").orElse(0);
    int bos = doc.optInt("bos_token_id").orElse(-1);
    int eos = doc.optInt("eos_token_id").orElse(-1);
    double theta = doc.optDouble("rope_theta").orElse(10000.0);
    RopeScaling scaling = ropeScaling(doc);
    SlidingWindow window = slidingWindow(doc, modelType, d.layers());
    boolean tie = doc.optBoolean("tie_word_embeddings").orElse(defaultTiedHead());
    double hiddenDrop = doc.optDouble("hidden_dropout_prob").orElse(0.0);
    double attnDrop = doc.optDouble("attention_dropout").orElse(0.0);
    double initRange = ConfigKeys.initializerRange(doc);
    ConfigKeys.checkDropouts(doc);
    return new ModelConfig(this, modelType, d.hidden(), d.layers(), d.heads(), d.kvHeads(), d.headDim(), d.intermediate(),
        d.vocab(), d.maxPositions(), 0, eps, theta, scaling, window, pad, bos, eos, act, tie, hiddenDrop, attnDrop,
        initRange, null, scoreShaping(doc));
  }

  private static RopeScaling ropeScaling(JsonDocument doc) {
    if (!doc.has("rope_scaling")) {
      return null;
    }
    JsonNode s = doc.root().get("rope_scaling");
    String kind = Optional.ofNullable(s.get("rope_type")).or(() -> Optional.ofNullable(s.get("type")))
        .map(JsonNode::asText).orElse("");
    if (kind.equals("default")) {
      return null; // transformers' rope_init_functions["default"]: plain rotary frequencies
    }
    if (!kind.equals("llama3")) {
      throw doc.error("rope_scaling", "unsupported rope scaling '" + kind + "' (supported: llama3)");
    }
    try {
      return new RopeScaling(num(s, "factor"), num(s, "low_freq_factor"), num(s, "high_freq_factor"),
          (int) num(s, "original_max_position_embeddings"));
    } catch (IllegalArgumentException e) {
      throw doc.error("rope_scaling", e.getMessage());
    }
  }

  private static double num(JsonNode s, String key) {
    JsonNode n = s.get(key);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException("'" + key + "' must be a number");
    }
    return n.asDouble();
  }

  @Override
  public DecoderBlueprint blueprint(ModelConfig config) {
    return DecoderBlueprint.of(config, variant(config));
  }

  @Override
  public <T extends TNumber> GraphModel<T> build(ModelConfig config, Class<T> type, LinearFactory linears, Precision precision) {
    return new DecoderModel<>(config, blueprint(config), type, linears, precision);
  }
}
