package org.peftharness.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.peftharness.cell.AdapterEvaluation;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.files.OutputLocations;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.spec.TaskRegistry;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harness evaluate}: a PEFT LoRA adapter folder, trained anywhere, evaluated on a task under every protocol. */
@Command(name = "evaluate",
    description = {"Load a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) onto a model and "
        + "evaluate it on a task's evaluation split under every protocol of the task.",
        "Adapter features the harness does not build (DoRA, rank_pattern, bias training, ...) are refused, naming the field."})
final class EvaluateCommand extends BaseCommand {

  @Option(names = "--model", required = true, paramLabel = "DIR|minilm",
      description = "A Hugging Face model folder (config.json, *.safetensors, tokenizer.json) or 'minilm'.")
  String model;

  @Option(names = "--adapter", required = true, paramLabel = "PEFT_DIR", description = "The PEFT adapter folder.")
  Path adapter;

  @Option(names = "--task", required = true, description = "Task name (see 'harness ls tasks').")
  String task;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
      description = "Folder holding the task's files in their original layout (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N examples (default: all).")
  int limit;

  @Option(names = "--max-length", description = "Encoder tasks: tokens per example (default: a grid's train.max_length default).")
  Integer maxLength;

  @Option(names = "--batch-size", description = "Examples per evaluation batch (default: a grid's eval.batch_size default).")
  Integer batchSize;

  @Option(names = "--max-new-tokens", description = "Generation tasks: token limit per answer (default: a grid's eval.max_new_tokens default).")
  Integer maxNewTokens;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where generations, verdicts, metrics.json and provenance.json go (default: runs/evaluate/<adapter folder name>).")
  Path out;

  @Override
  protected ExitCode execute() throws Exception {
    Path name = adapter.toAbsolutePath().normalize().getFileName();
    if (out == null && name == null) {
      throw new InvalidInputException("argument --adapter", 0, null, "'" + adapter + "' has no folder name to put under "
          + "runs/evaluate/: give --out");
    }
    Path dir = out != null ? out : Path.of("runs", "evaluate").resolve(name);
    OutputLocations.requireFolder(dir, out != null ? "argument --out" : "results folder (default of --out)");
    AdapterEvaluation.Outcome o = AdapterEvaluation.run(
        new AdapterEvaluation.Request(model, adapter, task, dataDir, limit, maxLength, batchSize, maxNewTokens, dir),
        TaskRegistry.builtin(), BuildInfo.current(TensorFlow.version()));
    out().printf(Locale.ROOT, "adapter %s (r=%d, alpha=%s, %s), %d examples of %s%n", adapter, o.adapter().config().rank(),
        o.adapter().config().alpha(), o.adapter().config().rslora() ? "rsLoRA" : "LoRA", o.examples(), task);
    out().printf(Locale.ROOT, "%-32s %-12s %10s %8s%n", "protocol", "metric", "value", "n");
    for (ScoreResult r : o.scores()) {
      out().printf(Locale.ROOT, "%-32s %-12s %10.6f %8d%n", r.protocol() + "@v" + r.protocolVersion(), r.metric(), r.value(), r.count());
    }
    out().println("results: " + dir);
    return ExitCode.OK;
  }
}
