package org.peftharness.model;

import java.util.List;
import java.util.Locale;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.TargetModules;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.params.TrainableParameters;

/**
 * Trainable parameters of a method on a model, from config.json alone, so a grid can be planned
 * before any weights are downloaded. Adapter parameters follow the method's formula over the target
 * matrices; a sequence-classification head is trained too (PEFT's {@code modules_to_save}); full
 * fine-tuning trains every parameter of the model.
 */
public record ParameterAudit(String model, String method, int rank, List<String> targets, int targetMatrices,
    long adapterParams, long headParams, long modelParams, String formula, String headFormula) {

  public long totalTrainable() {
    return adapterParams + headParams;
  }

  /** @param labels classes of the classification head (encoders; 1 for a regression head) */
  public static ParameterAudit of(String modelName, ModelConfig c, MethodConfig<?> o, int labels) {
    boolean whole = o.trainsWholeModel();
    List<String> targets = whole ? List.of("(all)") : o.targets(TargetModules.defaultsFor(c.modelType()));
    List<LinearSite> sites = LinearSites.of(c);
    int matrices = 0;
    for (LinearSite s : sites) {
      if (o.adapts(s.module(), targets)) {
        matrices++;
      }
    }
    long model = modelParameters(c);
    long adapter = whole ? model : TrainableParameters.count(o, targets, sites, s -> LinearSites.hasBias(c));
    String formula = whole ? "every parameter of the model" : o.method().trainableFormula()
        + " summed over the " + matrices + " target matrices (m x n each)";
    long head = headParameters(c, labels);
    return new ParameterAudit(modelName, o.name(), o.rank(), targets, matrices, adapter, head, model, formula,
        headFormula(c, labels));
  }

  /** Every pretrained parameter the graph declares (a tied output head counted once). */
  public static long modelParameters(ModelConfig c) {
    long h = c.hiddenSize();
    long total = 0;
    for (LinearSite s : LinearSites.of(c)) {
      total += s.outFeatures() * s.inFeatures() + (LinearSites.hasBias(c) ? s.outFeatures() : 0);
    }
    if (c.family().isEncoder()) {
      total += (long) c.vocabSize() * h + (long) c.maxPositions() * h + (long) c.typeVocabSize() * h + 2 * h; // embeddings + LN
      total += (long) c.numLayers() * 4 * h; // two LayerNorms per layer
    } else {
      total += (long) c.vocabSize() * h; // embeddings
      total += (long) c.numLayers() * 2 * h + h; // two RMSNorms per layer, final norm
      if (!c.tieWordEmbeddings()) {
        total += (long) c.vocabSize() * h;
      }
    }
    return total;
  }

  /**
   * Hugging Face's sequence-classification head: BERT a linear map on the (pretrained, frozen)
   * pooler output; RoBERTa a dense+tanh then an output projection. Decoders keep their LM head frozen.
   */
  public static long headParameters(ModelConfig c, int labels) {
    long h = c.hiddenSize();
    switch (c.family()) {
      case BERT:
        return h * labels + labels;
      case ROBERTA:
        return h * h + h + h * labels + labels;
      default:
        return 0;
    }
  }

  private static String headFormula(ModelConfig c, int labels) {
    switch (c.family()) {
      case BERT:
        return String.format(Locale.ROOT, "classifier %d x %d + %d", labels, c.hiddenSize(), labels);
      case ROBERTA:
        return String.format(Locale.ROOT, "dense %1$d x %1$d + %1$d, out_proj %2$d x %1$d + %2$d", c.hiddenSize(), labels);
      default:
        return "none (the language-model head stays frozen)";
    }
  }
}
