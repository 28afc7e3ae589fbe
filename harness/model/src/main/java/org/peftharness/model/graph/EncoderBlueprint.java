package org.peftharness.model.graph;

import java.util.ArrayList;
import java.util.List;
import org.peftharness.model.ModelConfig;

/**
 * A BERT-family encoder's tensors under transformers' BertModel names: word, position and
 * token-type embeddings with their LayerNorm, then post-LayerNorm layers whose linear maps all
 * carry a bias.
 */
public record EncoderBlueprint(TensorSpec words, TensorSpec positions, TensorSpec tokenTypes, NormSpec embeddingNorm,
    List<Layer> layers) implements Blueprint {

  /** One BertLayer: self-attention, its output projection and norm, the feed-forward and its norm. */
  public record Layer(int index, LinearSpec query, LinearSpec key, LinearSpec value, LinearSpec attentionOutput,
      NormSpec attentionNorm, LinearSpec intermediate, LinearSpec output, NormSpec outputNorm) implements LayerSpec {

    @Override
    public List<LinearSpec> linears() {
      return List.of(query, key, value, attentionOutput, intermediate, output);
    }

    @Override
    public List<NormSpec> norms() {
      return List.of(attentionNorm, outputNorm);
    }
  }

  public static EncoderBlueprint of(ModelConfig c) {
    long h = c.hiddenSize();
    long f = c.intermediateSize();
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "encoder.layer." + i + ".";
      layers.add(new Layer(i,
          new LinearSpec(p + "attention.self.query", "query", h, h, true),
          new LinearSpec(p + "attention.self.key", "key", h, h, true),
          new LinearSpec(p + "attention.self.value", "value", h, h, true),
          new LinearSpec(p + "attention.output.dense", "dense", h, h, true),
          new NormSpec(p + "attention.output.LayerNorm", h, true),
          new LinearSpec(p + "intermediate.dense", "dense", f, h, true),
          new LinearSpec(p + "output.dense", "dense", h, f, true),
          new NormSpec(p + "output.LayerNorm", h, true)));
    }
    return new EncoderBlueprint(
        new TensorSpec("embeddings.word_embeddings.weight", c.vocabSize(), h),
        new TensorSpec("embeddings.position_embeddings.weight", c.maxPositions(), h),
        new TensorSpec("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h),
        new NormSpec("embeddings.LayerNorm", h, true),
        List.copyOf(layers));
  }

  @Override
  public List<TensorSpec> outsideTensors() {
    return List.of(words, positions, tokenTypes);
  }

  @Override
  public List<NormSpec> outsideNorms() {
    return List.of(embeddingNorm);
  }
}
