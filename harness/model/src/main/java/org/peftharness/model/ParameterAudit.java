package org.peftharness.model;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.params.TrainableParameters;
import org.peftharness.model.graph.Blueprint;
import org.peftharness.model.graph.LayerSpec;
import org.peftharness.model.graph.LinearSpec;

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
    return of(modelName, c, o, labels, true);
  }

  /**
   * @param poolerInCheckpoint whether the checkpoint holds a BERT pooler; one it lacks is drawn fresh
   *     and trained with the classifier (SequenceClassifier#trainedWithAdapter), so it counts as head
   */
  public static ParameterAudit of(String modelName, ModelConfig c, MethodConfig<?> o, int labels, boolean poolerInCheckpoint) {
    Architecture arch = c.architecture();
    if (o.trainsNothing()) {
      // the base model as it is: no adapter, and a head the checkpoint lacks is drawn but not trained
      return new ParameterAudit(modelName, o.name(), 0, List.of(), 0, 0, 0, modelParameters(c), o.method().trainableFormula()
          + ": nothing is trained", "none trained (a head the checkpoint lacks is drawn from the seed and left untrained)");
    }
    boolean whole = o.trainsWholeModel();
    List<String> targets = whole ? List.of("(all)") : o.targets(arch.defaultTargets());
    List<LinearSite> sites = arch.linearSites(c);
    int matrices = 0;
    for (LinearSite s : sites) {
      if (o.adapts(s.module(), targets)) {
        o.checkShape(s.module(), s.outFeatures(), s.inFeatures()); // a count for a rank no run takes would mislead
        matrices++;
      }
    }
    long model = modelParameters(c);
    Set<String> biased = biasedModules(arch.blueprint(c));
    long adapter = whole ? model : TrainableParameters.count(o, targets, sites, s -> biased.contains(s.module()));
    String formula = whole ? "every parameter of the model" : o.method().trainableFormula()
        + " summed over the " + matrices + " target matrices (m x n each)";
    Optional<ClassifierHead> head = arch.classifierHead();
    boolean freshPooler = !poolerInCheckpoint && head.orElse(null) == ClassifierHead.BERT_POOLER;
    long h = c.hiddenSize();
    long headParams = headParameters(c, labels) + (freshPooler ? h * h + h : 0);
    String headFormula = head.map(x -> x.formula(c.hiddenSize(), labels)).orElse("none (the language-model head stays frozen)")
        + (freshPooler ? String.format(Locale.ROOT, " + pooler %1$d x %1$d + %1$d, drawn fresh: the checkpoint has none", h) : "");
    return new ParameterAudit(modelName, o.name(), o.rank(), targets, matrices, adapter, headParams, model, formula, headFormula);
  }

  /** Every pretrained parameter the graph declares (a tied output head counted once). */
  public static long modelParameters(ModelConfig c) {
    return c.architecture().parameterCount(c);
  }

  /** The trainable head of an encoder (Hugging Face's sequence-classification head); 0 for a causal LM. */
  public static long headParameters(ModelConfig c, int labels) {
    return c.architecture().classifierHead().map(h -> h.parameters(c.hiddenSize(), labels)).orElse(0L);
  }

  private static Set<String> biasedModules(Blueprint blueprint) {
    Set<String> biased = new HashSet<>();
    for (LayerSpec layer : blueprint.layers()) {
      layer.linears().stream().filter(LinearSpec::bias).forEach(l -> biased.add(l.module()));
    }
    return biased;
  }
}
