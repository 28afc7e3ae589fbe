package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.ParameterAudit;
import org.peftharness.model.PretrainedModel;
import org.peftharness.train.SequenceClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harness inspect params}: trainable parameters of a method on a model, from config.json alone. */
@Command(name = "params",
    description = "Count a method's trainable parameters on a model from its config.json alone (no weights needed).")
final class InspectParamsCommand extends BaseCommand {

  @Option(names = "--model", required = true, paramLabel = "DIR|config.json|minilm", description = "The model.")
  String model;

  @Option(names = "--method", required = true, completionCandidates = MethodNames.class,
      description = "One of: ${COMPLETION-CANDIDATES}.")
  String method;

  /** The registered method names, for the option's help. */
  static final class MethodNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return MethodRegistry.builtin().names().iterator();
    }
  }

  @Option(names = "--rank", description = "Adapter rank (not for full).")
  Integer rank;

  @Option(names = "--targets", split = ",", paramLabel = "MODULE", description = "Target module suffixes; default: the model family's.")
  List<String> targets;

  @Option(names = "--labels", defaultValue = "2", description = "Classes of an encoder's classification head (default: ${DEFAULT-VALUE}).")
  int labels;

  @Override
  protected ExitCode execute() {
    ModelConfig config = model.endsWith(".json") && Files.isRegularFile(Path.of(model))
        ? ModelConfig.read(Path.of(model)) : PretrainedModel.readConfig(model);
    Map<String, Object> m = new TreeMap<>();
    m.put(MethodConfig.METHOD_KEY, method);
    if (rank != null) {
      if (!MethodRegistry.builtin().get(method, "argument --method", 0, null).takesOption(AdapterOptions.RANK.key())) {
        throw new InvalidInputException("argument --rank", 0, null, method + " has no rank");
      }
      m.put(AdapterOptions.RANK.key(), rank);
    }
    if (targets != null) {
      m.put(AdapterOptions.TARGET_MODULES.key(), targets);
    }
    MethodConfig<?> o = MethodConfig.fromMap(m, "arguments");
    ParameterAudit a = ParameterAudit.of(model, config, o, labels, poolerInCheckpoint());
    PrintWriter out = out();
    out.printf(Locale.ROOT, "model           %s (%s, %d layers, hidden %d)%n", model, config.modelType(), config.numLayers(), config.hiddenSize());
    if (o.trainsWholeModel() || o.trainsNothing()) {
      out.printf(Locale.ROOT, "method          %s%n", o.method().description());
      out.printf(Locale.ROOT, "%-16s%,d   (%s)%n", o.trainsNothing() ? "adapter params" : "model params", a.adapterParams(),
          a.formula());
    } else {
      out.printf(Locale.ROOT, "method          %s, rank %d, targets %s%n", a.method(), a.rank(), String.join(",", a.targets()));
      out.printf(Locale.ROOT, "adapter params  %,d   (%s)%n", a.adapterParams(), a.formula());
    }
    out.printf(Locale.ROOT, "head params     %,d   (%s)%n", a.headParams(), a.headFormula());
    if (o.trainsWholeModel()) {
      out.printf(Locale.ROOT, "trainable       %,d   (every parameter: the model's %,d and the head's %,d)%n", a.totalTrainable(),
          a.modelParams(), a.headParams());
    } else {
      out.printf(Locale.ROOT, "trainable       %,d   (%.4f%% of the model's %,d)%n", a.totalTrainable(),
          100.0 * a.totalTrainable() / a.modelParams(), a.modelParams());
    }
    return ExitCode.OK;
  }

  /**
   * Whether the weights hold a BERT pooler: the embedded MiniLM (an ONNX export) has none; a folder's
   * safetensors header says; from config.json alone a pooler is assumed, as Hugging Face BERT
   * checkpoints have one.
   */
  private boolean poolerInCheckpoint() {
    Path dir = Path.of(model);
    boolean weights = model.equals(PretrainedModel.MINILM) || Files.isRegularFile(dir.resolve("model.safetensors"))
        || Files.isRegularFile(dir.resolve("model.safetensors.index.json"));
    if (!weights) {
      return true;
    }
    try (PretrainedModel m = PretrainedModel.open(model)) {
      return SequenceClassifier.inCheckpoint(m.weights(), "pooler.dense.weight");
    }
  }

}
