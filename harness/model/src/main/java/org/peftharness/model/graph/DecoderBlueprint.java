package org.peftharness.model.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.peftharness.model.ModelConfig;

/**
 * A Llama-family decoder's tensors under transformers' LlamaForCausalLM names: the token
 * embedding, pre-RMSNorm layers of bias-free projections, the final norm, and an output head of
 * its own unless tied to the embedding. The MLP's activation is part of the description, so a
 * variant differs from Llama by its blueprint, not by a branch in the builder.
 */
public record DecoderBlueprint(TensorSpec embedding, List<Layer> layers, NormSpec finalNorm, Optional<TensorSpec> lmHead,
    Activation mlpActivation) implements Blueprint {

  /** One LlamaDecoderLayer: input norm, q/k/v/o attention, post-attention norm, gated MLP. */
  public record Layer(int index, NormSpec inputNorm, LinearSpec q, LinearSpec k, LinearSpec v, LinearSpec o,
      NormSpec postAttentionNorm, LinearSpec gate, LinearSpec up, LinearSpec down) implements LayerSpec {

    @Override
    public List<LinearSpec> linears() {
      return List.of(q, k, v, o, gate, up, down);
    }

    @Override
    public List<NormSpec> norms() {
      return List.of(inputNorm, postAttentionNorm);
    }
  }

  public static DecoderBlueprint of(ModelConfig c, Activation mlpActivation) {
    long h = c.hiddenSize();
    long f = c.intermediateSize();
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      layers.add(new Layer(i,
          new NormSpec(p + "input_layernorm", h, false),
          new LinearSpec(p + "self_attn.q_proj", "q_proj", c.qDim(), h, false),
          new LinearSpec(p + "self_attn.k_proj", "k_proj", c.kvDim(), h, false),
          new LinearSpec(p + "self_attn.v_proj", "v_proj", c.kvDim(), h, false),
          new LinearSpec(p + "self_attn.o_proj", "o_proj", h, c.qDim(), false),
          new NormSpec(p + "post_attention_layernorm", h, false),
          new LinearSpec(p + "mlp.gate_proj", "gate_proj", f, h, false),
          new LinearSpec(p + "mlp.up_proj", "up_proj", f, h, false),
          new LinearSpec(p + "mlp.down_proj", "down_proj", h, f, false)));
    }
    Optional<TensorSpec> head = c.tieWordEmbeddings() ? Optional.empty()
        : Optional.of(new TensorSpec("lm_head.weight", c.vocabSize(), h));
    return new DecoderBlueprint(new TensorSpec("model.embed_tokens.weight", c.vocabSize(), h), List.copyOf(layers),
        new NormSpec("model.norm", h, false), head, mlpActivation);
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
