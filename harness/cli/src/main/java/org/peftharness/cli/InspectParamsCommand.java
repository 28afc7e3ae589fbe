package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peftharness.methods.MethodOptions;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.ParameterAudit;
import org.peftharness.model.PretrainedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harness inspect params}: trainable parameters of a method on a model, from config.json alone. */
@Command(name = "params",
    description = "Count a method's trainable parameters on a model from its config.json alone (no weights needed).")
final class InspectParamsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR|config.json|minilm", description = "The model.")
  String model;

  @Option(names = "--method", required = true, description = "full, lora, lora-xs, lora-ga, pissa, lora-fa, lora-sb")
  String method;

  @Option(names = "--rank", description = "Adapter rank (not for full).")
  Integer rank;

  @Option(names = "--targets", split = ",", paramLabel = "MODULE", description = "Target module suffixes; default: the model family's.")
  List<String> targets;

  @Option(names = "--labels", defaultValue = "2", description = "Classes of an encoder's classification head (default: ${DEFAULT-VALUE}).")
  int labels;

  @Override
  public Integer call() {
    ModelConfig config = model.endsWith(".json") && Files.isRegularFile(Path.of(model))
        ? ModelConfig.read(Path.of(model)) : PretrainedModel.readConfig(model);
    java.util.Map<String, Object> m = new java.util.TreeMap<>();
    m.put(MethodOptions.K_METHOD, method);
    if (rank != null) {
      if (method.equals(org.peftharness.methods.MethodRegistry.FULL)) {
        throw new org.peftharness.core.InvalidInputException("argument --rank", 0, null, "full fine-tuning has no rank");
      }
      m.put(MethodOptions.K_RANK, rank);
    }
    if (targets != null) {
      m.put(MethodOptions.K_TARGETS, targets);
    }
    MethodOptions o = MethodOptions.fromMap(m, "arguments");
    ParameterAudit a = ParameterAudit.of(model, config, o, labels);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "model           %s (%s, %d layers, hidden %d)%n", model, config.modelType(), config.numLayers(), config.hiddenSize());
    if (o.method().isFull()) {
      out.printf(Locale.ROOT, "method          full fine-tuning%n");
      out.printf(Locale.ROOT, "model params    %,d   (%s)%n", a.adapterParams(), a.formula());
    } else {
      out.printf(Locale.ROOT, "method          %s, rank %d, targets %s%n", a.method(), a.rank(), String.join(",", a.targets()));
      out.printf(Locale.ROOT, "adapter params  %,d   (%s)%n", a.adapterParams(), a.formula());
    }
    out.printf(Locale.ROOT, "head params     %,d   (%s)%n", a.headParams(), a.headFormula());
    out.printf(Locale.ROOT, "trainable       %,d   (%.4f%% of the model's %,d)%n", a.totalTrainable(),
        100.0 * a.totalTrainable() / a.modelParams(), a.modelParams());
    out.flush();
    return 0;
  }
}
