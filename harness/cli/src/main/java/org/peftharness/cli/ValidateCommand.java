package org.peftharness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.peftharness.core.ExitCode;
import org.peftharness.grid.GridPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness validate GRID}: every error of a grid at once, with file, line and field; no training. */
@Command(name = "validate",
    description = "Check a grid file completely (keys, types, methods, tasks, models, ranks, data files) without running it.")
final class ValidateCommand extends BaseCommand {
  @Mixin GridOptions grid;

  @Option(names = "--no-files", description = "Skip the checks that the data files and model weights are present here.")
  boolean noFiles;

  @Override
  protected ExitCode execute() {
    GridPlan plan = grid.plan(!noFiles);
    PrintWriter out = out();
    long evaluations = plan.cells().stream().mapToLong(c -> c.evaluations().size()).sum();
    out.printf(Locale.ROOT, "%s: valid; %d cells (trainings), %d evaluations%s%n", grid.grid(), plan.cells().size(), evaluations,
        noFiles ? "; data files and weights not checked" : "");
    return ExitCode.OK;
  }
}
