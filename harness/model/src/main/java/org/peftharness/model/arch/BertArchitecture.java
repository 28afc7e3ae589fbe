package org.peftharness.model.arch;

import java.util.List;
import java.util.Optional;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.Architecture;
import org.peftharness.model.ClassifierHead;
import org.peftharness.model.HeadKind;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;
import org.peftharness.model.graph.EncoderBlueprint;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.GraphModel;
import org.tensorflow.types.family.TNumber;

/**
 * BERT (and MiniLM, which is a BERT): learned absolute positions from 0, post-LayerNorm layers,
 * exact-GELU feed-forward, trained for GLUE with BertForSequenceClassification's pooler head
 * (transformers models/bert/modeling_bert.py, configuration_bert.py for the defaults).
 */
public class BertArchitecture implements Architecture {
  /** The LoRA-XS / LoRA-SB GLUE scripts' targets: query, value and both output projections. */
  private static final List<String> TARGETS = List.of("query", "value", "attention.output.dense", "output.dense");

  @Override
  public String name() {
    return "BERT";
  }

  @Override
  public String summary() {
    return "encoder: learned positions, post-LayerNorm, GELU; sequence-classification head on the pooler";
  }

  @Override
  public List<String> modelTypes() {
    return List.of("bert");
  }

  @Override
  public HeadKind headKind() {
    return HeadKind.SEQUENCE_CLASSIFICATION;
  }

  @Override
  public Optional<ClassifierHead> classifierHead() {
    return Optional.of(ClassifierHead.BERT_POOLER);
  }

  @Override
  public List<String> defaultTargets() {
    return TARGETS;
  }

  @Override
  public String peftModulePrefix() {
    return "bert.";
  }

  /** How token positions index the position table. */
  protected EncoderModel.Positions positions() {
    return EncoderModel.Positions.FROM_ZERO;
  }

  /** {@code pad_token_id} when the config leaves it out (BertConfig: 0). */
  protected int defaultPadTokenId() {
    return 0;
  }

  @Override
  public ModelConfig readConfig(JsonDocument doc, String modelType) {
    ConfigKeys.Dims d = ConfigKeys.dims(doc, 512);
    if (d.headDim() * d.heads() != d.hidden()) {
      throw doc.error("num_attention_heads", d.heads() + " heads do not divide hidden_size " + d.hidden());
    }
    String act = ConfigKeys.activation(doc, "gelu", "encoders (exact erf GELU)");
    double eps = doc.optDouble("layer_norm_eps").orElse(1e-12);
    int typeVocab = doc.optInt("type_vocab_size").orElse(2);
    int pad = doc.optInt("pad_token_id").orElse(defaultPadTokenId());
    int bos = doc.optInt("bos_token_id").orElse(-1);
    int eos = doc.optInt("eos_token_id").orElse(-1);
    double theta = doc.optDouble("rope_theta").orElse(10000.0);
    if (doc.has("position_embedding_type") && !doc.requireString("position_embedding_type").equals("absolute")) {
      throw doc.error("position_embedding_type", "only 'absolute' positions are supported");
    }
    boolean tie = doc.optBoolean("tie_word_embeddings").orElse(true);
    double hiddenDrop = doc.optDouble("hidden_dropout_prob").orElse(0.0);
    double attnDrop = doc.optDouble("attention_probs_dropout_prob").orElse(0.0);
    double initRange = ConfigKeys.initializerRange(doc);
    // the classifier's dropout is classifier_dropout when set (null in most configs), else the hidden dropout
    Double classifierDrop = doc.optDouble("classifier_dropout").orElse(null);
    if (classifierDrop != null && !(classifierDrop >= 0 && classifierDrop < 1)) {
      throw doc.error("classifier_dropout", "must be in [0, 1), got " + classifierDrop);
    }
    ConfigKeys.checkDropouts(doc);
    return new ModelConfig(this, modelType, d.hidden(), d.layers(), d.heads(), d.kvHeads(), d.headDim(), d.intermediate(),
        d.vocab(), d.maxPositions(), typeVocab, eps, theta, null, null, pad, bos, eos, act, tie, hiddenDrop, attnDrop,
        initRange, classifierDrop, null);
  }

  @Override
  public EncoderBlueprint blueprint(ModelConfig config) {
    return EncoderBlueprint.of(config);
  }

  @Override
  public <T extends TNumber> GraphModel<T> build(ModelConfig config, Class<T> type, LinearFactory linears, Precision precision) {
    return new EncoderModel<>(config, blueprint(config), positions(), type, linears, precision);
  }
}
