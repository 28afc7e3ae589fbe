package org.peftharness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.model.Architecture;
import org.peftharness.model.ArchitectureRegistry;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.tasks.training.TrainingSet;
import org.peftharness.tasks.training.TrainingSetRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code harness ls methods|tasks|training-sets|models}: what is registered, one line each. */
@Command(name = "ls", description = "List what is registered: methods, tasks, training sets, models.")
final class LsCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "WHAT", description = "methods, tasks, training-sets or models")
  String what;

  @Override
  protected ExitCode execute() {
    PrintWriter out = out();
    switch (what.toLowerCase(Locale.ROOT)) {
      case "methods":
        MethodRegistry.builtin().all().forEach(m ->
            out.printf(Locale.ROOT, "%-10s %-10s %s%n", m.name(), m.trainableFormula(), m.description()));
        break;
      case "tasks":
        for (TaskSpec t : TaskRegistry.builtin().all()) {
          out.printf(Locale.ROOT, "%-20s %-15s %s%n", t.name(), t.kind().toString().toLowerCase(Locale.ROOT), t.description());
        }
        break;
      case "training-sets":
        TrainingSetRegistry sets = TrainingSetRegistry.builtin();
        for (String name : sets.names()) {
          TrainingSet t = sets.get(name);
          out.printf(Locale.ROOT, "%-18s %-42s %s; templates: %s%n", t.name(), t.file(), t.description(),
              String.join(", ", t.templates()));
        }
        break;
      case "models":
        out.printf(Locale.ROOT, "%-20s %s%n", "minilm", "all-MiniLM-L6-v2 (BERT encoder, 22.7M parameters), embedded: no download");
        out.printf(Locale.ROOT, "%-20s %s%n", "DIR", "any Hugging Face folder (config.json, *.safetensors, tokenizer.json) whose model_type is one of:");
        for (Architecture a : ArchitectureRegistry.BUILT_IN.all()) {
          out.printf(Locale.ROOT, "  %-20s %s %s%n", String.join(", ", a.modelTypes()), a.name(), a.summary());
        }
        break;
      default:
        throw new InvalidInputException("argument WHAT", 0, null, "'" + what + "' is not one of: methods, tasks, training-sets, models");
    }
    return ExitCode.OK;
  }
}
