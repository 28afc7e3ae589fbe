package org.peftharness.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code submit} that only Slurm has; refused with {@code --k8s}. */
final class SubmitSlurmOptions {
  @Option(names = "--partition", paramLabel = "P", description = "Slurm partition.")
  String partition;

  @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Slurm time limit per task.")
  String time;

  @Option(names = "--sbatch", paramLabel = "OPTION", description = "Another #SBATCH line, e.g. --sbatch=--account=lab (repeatable).")
  List<String> extraSbatch = new ArrayList<>();

  @Option(names = "--wait", description = "Wait until the job has left the queue, showing progress, then summarise.")
  boolean await;
}
