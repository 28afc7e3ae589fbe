package org.peftharness.model.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.ScoreShaping;
import org.peftharness.model.SlidingWindow;
import org.peftharness.model.graph.DecoderBlueprint;

/**
 * Gemma-2 as transformers' Gemma2ForCausalLM computes it (models/gemma2/modular_gemma2.py): Gemma
 * plus scores scaled by {@code query_pre_attn_scalar^-0.5} and soft-capped before the mask,
 * soft-capped output logits, a norm on each sub-layer's output before the residual add (four
 * norms per layer), and a sliding window on the layers {@code layer_types} marks (by default the
 * even ones: configuration_gemma2.py, {@code "sliding_attention" if bool((i + 1) % 2)}).
 */
public final class Gemma2Architecture extends GemmaArchitecture {
  /** Gemma2Config's defaults. */
  private static final int DEFAULT_WINDOW = 4096;
  private static final double DEFAULT_QUERY_PRE_ATTN_SCALAR = 256;
  private static final double DEFAULT_ATTN_SOFTCAP = 50.0;
  private static final double DEFAULT_FINAL_SOFTCAP = 30.0;

  @Override
  public String name() {
    return "Gemma-2";
  }

  @Override
  public String summary() {
    return "decoder: Gemma plus soft-capped scores and logits, sandwich norms, alternating sliding window; tied head";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("gemma2");
  }

  @Override
  protected DecoderBlueprint.Variant variant(ModelConfig config) {
    return new DecoderBlueprint.Variant(mlpActivation(), DecoderBlueprint.RmsNormKind.UNIT_OFFSET, true, false, true);
  }

  /**
   * {@code hidden_activation}, by default the tanh GELU: Gemma2MLP reads only it
   * (modular_gemma2.py: {@code ACT2FN[config.hidden_activation]}), so {@code hidden_act} is ignored
   * as transformers ignores it.
   */
  @Override
  protected String activation(JsonDocument doc) {
    String act = doc.optString("hidden_activation").orElse(ACTIVATION);
    if (!act.equals(ACTIVATION)) {
      throw doc.error("hidden_activation", "only '" + ACTIVATION + "' is supported for Gemma-2, got '" + act + "'");
    }
    return act;
  }

  @Override
  protected Set<String> implementedKeys() {
    return Set.of("hidden_activation", "layer_types", "attn_logit_softcapping", "final_logit_softcapping",
        "query_pre_attn_scalar");
  }

  @Override
  protected SlidingWindow slidingWindow(JsonDocument doc, String modelType, int layers) {
    int window = doc.has("sliding_window") ? doc.positiveInt("sliding_window") : DEFAULT_WINDOW;
    List<Integer> sliding = doc.has("layer_types") ? ConfigKeys.slidingLayers(doc, layers)
        : IntStream.range(0, layers).filter(i -> i % 2 == 0).boxed().toList();
    return new SlidingWindow(window, sliding);
  }

  @Override
  protected ScoreShaping scoreShaping(JsonDocument doc) {
    double scalar = doc.optDouble("query_pre_attn_scalar").orElse(DEFAULT_QUERY_PRE_ATTN_SCALAR);
    if (!(scalar > 0)) {
      throw doc.error("query_pre_attn_scalar", "must be positive, got " + scalar);
    }
    return new ScoreShaping(scalar, cap(doc, "attn_logit_softcapping", DEFAULT_ATTN_SOFTCAP),
        cap(doc, "final_logit_softcapping", DEFAULT_FINAL_SOFTCAP));
  }

  /** A soft cap: the config class's default when the key is absent, none when it is null. */
  private static Double cap(JsonDocument doc, String key, double dflt) {
    JsonNode n = doc.root().get(key);
    if (n == null) {
      return dflt;
    }
    if (n.isNull()) {
      return null;
    }
    double c = doc.optDouble(key).orElseThrow();
    if (!(c > 0)) {
      throw doc.error(key, "must be positive, got " + c);
    }
    return c;
  }
}
