package org.peftharness.model.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.ScoreShaping;

/**
 * A decoder's tensors under transformers' *ForCausalLM names and the choices that tell the
 * families apart: the token embedding, pre-norm layers of projections, the final norm, and an
 * output head of its own unless tied to the embedding. A family differs from Llama by its
 * blueprint ({@link Variant}, the config's window and score shaping), not by a branch in the builder.
 *
 * @param scoreScale what attention scores are multiplied by before the softmax
 * @param attentionSoftcap the cap on scaled scores (Gemma-2), or empty
 * @param finalSoftcap the cap on output logits (Gemma-2), or empty
 */
public record DecoderBlueprint(TensorSpec embedding, List<Layer> layers, NormSpec finalNorm, Optional<TensorSpec> lmHead,
    Variant variant, double scoreScale, Optional<Double> attentionSoftcap, Optional<Double> finalSoftcap)
    implements Blueprint {

  /** How a family's RMSNorm applies its weight. */
  public enum RmsNormKind {
    /** {@code w * x / rms(x)} (transformers LlamaRMSNorm). */
    WEIGHT,
    /** {@code (1 + w) * x / rms(x)}, weights stored around 0 (transformers GemmaRMSNorm). */
    UNIT_OFFSET
  }

  /**
   * A family's structure, fixed by its code rather than its config.
   *
   * @param mlpActivation the gate's nonlinearity in {@code down(act(gate(x)) * up(x))}
   * @param scaleEmbedding whether input embeddings are multiplied by {@code sqrt(hidden_size)} (Gemma)
   * @param qkvBias whether the query, key and value projections have biases (Qwen2)
   * @param sandwichNorms whether each sub-layer's output is normed before the residual add (Gemma-2)
   */
  public record Variant(Activation mlpActivation, RmsNormKind norm, boolean scaleEmbedding, boolean qkvBias,
      boolean sandwichNorms) {

    /** Llama's structure with another MLP nonlinearity. */
    public static Variant llama(Activation mlpActivation) {
      return new Variant(mlpActivation, RmsNormKind.WEIGHT, false, false, false);
    }
  }

  /**
   * One decoder layer: input norm, q/k/v/o attention, the MLP's input norm, gated MLP, and for
   * Gemma-2 a norm on each sub-layer's output. Llama calls the MLP's input norm
   * {@code post_attention_layernorm}; Gemma-2 uses that name for the attention output's norm and
   * calls the MLP's {@code pre_feedforward_layernorm} (modular_gemma2.py Gemma2DecoderLayer).
   *
   * @param window the sliding window of this layer's attention, or 0 for full causal attention
   */
  public record Layer(int index, NormSpec inputNorm, LinearSpec q, LinearSpec k, LinearSpec v, LinearSpec o,
      Optional<NormSpec> attentionOutputNorm, NormSpec mlpInputNorm, LinearSpec gate, LinearSpec up, LinearSpec down,
      Optional<NormSpec> mlpOutputNorm, int window) implements LayerSpec {

    @Override
    public List<LinearSpec> linears() {
      return List.of(q, k, v, o, gate, up, down);
    }

    @Override
    public List<NormSpec> norms() {
      List<NormSpec> norms = new ArrayList<>(List.of(inputNorm));
      attentionOutputNorm.ifPresent(norms::add);
      norms.add(mlpInputNorm);
      mlpOutputNorm.ifPresent(norms::add);
      return norms;
    }

    public boolean slides() {
      return window > 0;
    }
  }

  /** Llama with another MLP nonlinearity (a variant that differs in nothing else). */
  public static DecoderBlueprint of(ModelConfig c, Activation mlpActivation) {
    return of(c, Variant.llama(mlpActivation));
  }

  public static DecoderBlueprint of(ModelConfig c, Variant variant) {
    long h = c.hiddenSize();
    long f = c.intermediateSize();
    boolean sandwich = variant.sandwichNorms();
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      int window = c.slidingWindow() != null && c.slidingWindow().slides(i) ? c.slidingWindow().tokens() : 0;
      layers.add(new Layer(i,
          new NormSpec(p + "input_layernorm", h, false),
          new LinearSpec(p + "self_attn.q_proj", "q_proj", c.qDim(), h, variant.qkvBias()),
          new LinearSpec(p + "self_attn.k_proj", "k_proj", c.kvDim(), h, variant.qkvBias()),
          new LinearSpec(p + "self_attn.v_proj", "v_proj", c.kvDim(), h, variant.qkvBias()),
          new LinearSpec(p + "self_attn.o_proj", "o_proj", h, c.qDim(), false),
          sandwich ? Optional.of(new NormSpec(p + "post_attention_layernorm", h, false)) : Optional.empty(),
          new NormSpec(p + (sandwich ? "pre_feedforward_layernorm" : "post_attention_layernorm"), h, false),
          new LinearSpec(p + "mlp.gate_proj", "gate_proj", f, h, false),
          new LinearSpec(p + "mlp.up_proj", "up_proj", f, h, false),
          new LinearSpec(p + "mlp.down_proj", "down_proj", h, f, false),
          sandwich ? Optional.of(new NormSpec(p + "post_feedforward_layernorm", h, false)) : Optional.empty(),
          window));
    }
    Optional<TensorSpec> head = c.tieWordEmbeddings() ? Optional.empty()
        : Optional.of(new TensorSpec("lm_head.weight", c.vocabSize(), h));
    ScoreShaping shaping = c.scoreShaping();
    double scale = shaping != null ? shaping.scoreScale() : 1.0 / Math.sqrt(c.headDim());
    return new DecoderBlueprint(new TensorSpec("model.embed_tokens.weight", c.vocabSize(), h), List.copyOf(layers),
        new NormSpec("model.norm", h, false), head, variant, scale,
        Optional.ofNullable(shaping).map(ScoreShaping::attentionSoftcap),
        Optional.ofNullable(shaping).map(ScoreShaping::finalSoftcap));
  }

  @Override
  public List<TensorSpec> outsideTensors() {
    List<TensorSpec> t = new ArrayList<>(List.of(embedding));
    lmHead.ifPresent(t::add);
    return t;
  }

  @Override
  public List<NormSpec> outsideNorms() {
    return List.of(finalNorm);
  }
}
