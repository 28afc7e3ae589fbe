package org.peftharness.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.Architecture;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.HeadKind;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.RopeScaling;
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
 * {@code sliding_window} is read and held as a limit on sequence length ({@link SlidingWindow}),
 * not ignored. A variant with another MLP nonlinearity overrides {@link #mlpActivation()}.
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

  @Override
  public ModelConfig readConfig(JsonDocument doc, String modelType) {
    ConfigKeys.Dims d = ConfigKeys.dims(doc, 4096);
    if (d.headDim() % 2 != 0) {
      throw doc.error("head_dim", "rotary embeddings need an even head dimension, got " + d.headDim());
    }
    String act = ConfigKeys.activation(doc, hiddenAct(), "decoders");
    double eps = doc.optDouble("rms_norm_eps").orElse(1e-6);
    int pad = doc.optInt("pad_token_id").orElse(0);
    int bos = doc.optInt("bos_token_id").orElse(-1);
    int eos = doc.optInt("eos_token_id").orElse(-1);
    double theta = doc.optDouble("rope_theta").orElse(10000.0);
    RopeScaling scaling = ropeScaling(doc);
    SlidingWindow window = modelType.equals("mistral") ? slidingWindow(doc) : null;
    boolean tie = doc.optBoolean("tie_word_embeddings").orElse(false);
    double hiddenDrop = doc.optDouble("hidden_dropout_prob").orElse(0.0);
    double attnDrop = doc.optDouble("attention_dropout").orElse(0.0);
    double initRange = ConfigKeys.initializerRange(doc);
    ConfigKeys.checkDropouts(doc);
    return new ModelConfig(this, modelType, d.hidden(), d.layers(), d.heads(), d.kvHeads(), d.headDim(), d.intermediate(),
        d.vocab(), d.maxPositions(), 0, eps, theta, scaling, window, pad, bos, eos, act, tie, hiddenDrop, attnDrop,
        initRange, null);
  }

  /**
   * MistralConfig's {@code sliding_window} (null or absent: full attention). LlamaConfig has no
   * such key, and transformers' Llama ignores one, so only Mistral reads it.
   */
  private static SlidingWindow slidingWindow(JsonDocument doc) {
    if (!doc.has("sliding_window")) {
      return null;
    }
    return new SlidingWindow(doc.positiveInt("sliding_window"), doc.source(), doc.line("sliding_window"));
  }

  private static RopeScaling ropeScaling(JsonDocument doc) {
    if (!doc.has("rope_scaling")) {
      return null;
    }
    JsonNode s = doc.root().get("rope_scaling");
    String kind = Optional.ofNullable(s.get("rope_type")).or(() -> Optional.ofNullable(s.get("type")))
        .map(JsonNode::asText).orElse("");
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
    return DecoderBlueprint.of(config, mlpActivation());
  }

  @Override
  public <T extends TNumber> GraphModel<T> build(ModelConfig config, Class<T> type, LinearFactory linears) {
    return new DecoderModel<>(config, blueprint(config), type, linears);
  }
}
