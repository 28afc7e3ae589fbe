package org.peftharness.model.arch;

import java.util.List;
import java.util.Set;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.SlidingWindow;
import org.peftharness.model.graph.Activation;
import org.peftharness.model.graph.DecoderBlueprint;

/**
 * Gemma as transformers' GemmaForCausalLM computes it (models/gemma/modular_gemma.py): Llama with
 * RMSNorm weighted by {@code (1 + w)} in float32, input embeddings scaled by
 * {@code sqrt(hidden_size)}, a gated MLP with GELU's tanh approximation ({@code gelu_pytorch_tanh}), a {@code head_dim} of its
 * own (default 256), and the output head tied to the embedding.
 */
public class GemmaArchitecture extends LlamaArchitecture {
  static final String ACTIVATION = "gelu_pytorch_tanh";
  private static final String EXACT = "gelu";

  @Override
  public String name() {
    return "Gemma";
  }

  @Override
  public String summary() {
    return "decoder: (1+w) RMSNorm, sqrt(hidden)-scaled embeddings, GELU-tanh-gated MLP, multi-query attention; tied head";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("gemma");
  }

  @Override
  protected String hiddenAct() {
    return ACTIVATION;
  }

  @Override
  protected Activation mlpActivation() {
    return Activation.GELU_TANH;
  }

  /** The tanh GELU, or exact GELU where the config asks for {@code gelu} (see {@link #activation}). */
  @Override
  protected DecoderBlueprint.Variant variant(ModelConfig config) {
    Activation act = config.hiddenAct().equals(EXACT) ? Activation.GELU : mlpActivation();
    return new DecoderBlueprint.Variant(act, DecoderBlueprint.RmsNormKind.UNIT_OFFSET, true, false, false);
  }

  @Override
  protected int defaultMaxPositions() {
    return 8192;
  }

  @Override
  protected Integer defaultHeadDim() {
    return 256;
  }

  @Override
  protected boolean defaultTiedHead() {
    return true;
  }

  @Override
  protected Set<String> implementedKeys() {
    return Set.of("hidden_activation");
  }

  /**
   * {@code hidden_activation} when set, else {@code hidden_act}: {@code gelu_pytorch_tanh}, or for
   * Gemma {@code gelu}. The first Gemma releases (google/gemma-7b) wrote {@code hidden_act: gelu}
   * though Google trained with the tanh approximation; transformers 4.38-4.44 (modeling_gemma.py
   * GemmaMLP) then read only {@code hidden_activation} and used the tanh form when it was unset,
   * while current transformers (modular_gemma.py GemmaMLP: {@code ACT2FN[config.hidden_act]})
   * computes what the config says. The harness follows current transformers: a config that
   * means the tanh form says so in {@code hidden_activation}.
   */
  @Override
  protected String activation(JsonDocument doc) {
    String key = doc.has("hidden_activation") ? "hidden_activation" : "hidden_act";
    String act = doc.optString(key).orElse(ACTIVATION);
    if (!act.equals(ACTIVATION) && !act.equals(EXACT)) {
      throw doc.error(key, "only '" + ACTIVATION + "' or '" + EXACT + "' is supported for Gemma, got '" + act + "'");
    }
    return act;
  }

  /** GemmaConfig has no window, and GemmaModel builds one causal mask for all layers. */
  @Override
  protected SlidingWindow slidingWindow(JsonDocument doc, String modelType, int layers) {
    return null;
  }
}
