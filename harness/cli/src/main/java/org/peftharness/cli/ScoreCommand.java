package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.peftharness.core.ExitCode;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.score.ScoringService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code harness score}: score existing outputs (from the harness or another framework) under every protocol. */
@Command(name = "score",
    description = {"Score predictions or generations for a task's evaluation file under every protocol the task names.",
        "FILE is jsonl: {\"index\": i, \"output\": \"...\"} for generation tasks (i = the record's position in "
        + "the evaluation file) or {\"index\": i, \"label\": ...} for GLUE (a number for STS-B)."})
final class ScoreCommand extends BaseCommand {

  @Option(names = "--task", required = true, description = "Task name (see 'harness ls tasks').")
  String task;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "Folder holding the task's files in their original layout (e.g. gsm8k/test.jsonl, glue/SST-2/dev.tsv).")
  Path dataDir;

  @Option(names = "--predictions", required = true, paramLabel = "FILE", description = "The predictions, jsonl.")
  Path predictions;

  @Option(names = "--per-example", paramLabel = "OUT.jsonl", description = "Also write every example's verdict here.")
  Path perExample;

  @Override
  protected ExitCode execute() {
    List<ScoreResult> results = new ScoringService().score(task, dataDir, predictions, perExample);
    PrintWriter out = out();
    out.printf(Locale.ROOT, "%-32s %-12s %10s %8s%n", "protocol", "metric", "value", "n");
    for (ScoreResult r : results) {
      out.printf(Locale.ROOT, "%-32s %-12s %10.6f %8d%n", r.protocol() + "@v" + r.protocolVersion(), r.metric(), r.value(), r.count());
    }
    if (perExample != null) {
      out.println("per-example verdicts: " + perExample);
    }
    return ExitCode.OK;
  }
}
