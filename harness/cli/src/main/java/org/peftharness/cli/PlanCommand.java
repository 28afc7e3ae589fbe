package org.peftharness.cli;

import java.nio.file.Path;
import org.peftharness.core.ExitCode;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.PlanListing;
import org.peftharness.grid.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness plan GRID} (also {@code run --dry-run}): the cells, which are done, and what the rest will cost. */
@Command(name = "plan",
    description = "List a grid's cells, which are already done in the results folder, and an estimate of the time left.")
final class PlanCommand extends BaseCommand {
  @Mixin GridOptions grid;

  @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: runs/<grid name>).")
  Path out;

  @Option(names = "--shard", paramLabel = "i/n", description = "Only this slice of the cells.")
  String shard;

  @Option(names = "--no-files", description = "Plan without checking that the data files and model weights are present here.")
  boolean noFiles;

  @Override
  protected ExitCode execute() {
    GridPlan plan = grid.plan(!noFiles);
    PlanListing.print(plan, GridOptions.resultsDir(out, plan), shard == null ? Shard.ALL : Shard.parse(shard), out());
    return ExitCode.OK;
  }
}
