package org.peftharness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peftharness.grid.GridPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness validate GRID}: every error of a grid at once, with file, line and field; no training. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a grid file completely (keys, types, methods, tasks, models, ranks, data files) without running it.")
final class ValidateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin GridOptions grid;

  @Option(names = "--no-files", description = "Skip the checks that the data files and model weights are present here.")
  boolean noFiles;

  @Override
  public Integer call() {
    GridPlan plan = grid.plan(!noFiles);
    PrintWriter out = spec.commandLine().getOut();
    long models = plan.spec().models().size();
    out.printf(Locale.ROOT, "%s: valid; %d cells (%d model(s) x %d method/rank(s) x %d task(s) x %d seed(s))%s%n",
        grid.grid(), plan.cells().size(), models,
        plan.spec().methods().stream().mapToInt(m -> Math.max(1, m.ranks().size())).sum(),
        plan.spec().tasks().size(), plan.spec().seeds().size(),
        noFiles ? "; data files and weights not checked" : "");
    out.flush();
    return 0;
  }
}
