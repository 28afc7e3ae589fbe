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
    long models = plan.spec().models().size();
    out.printf(Locale.ROOT, "%s: valid; %d cells (%d model(s) x %d method/rank(s) x %d task(s) x %d seed(s))%s%n",
        grid.grid(), plan.cells().size(), models,
        plan.spec().methods().stream().mapToInt(m -> Math.max(1, m.ranks().size())).sum(),
        plan.spec().tasks().size(), plan.spec().seeds().size(),
        noFiles ? "; data files and weights not checked" : "");
    return ExitCode.OK;
  }
}
