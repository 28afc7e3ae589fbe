package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.PlanManifest;
import org.peftharness.submit.StatusListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness status RESULTS_DIR}: done, failed, running and pending cells, however they were run. */
@Command(name = "status",
    description = {"Summarise a results folder: cells done, failed, running (and where), abandoned (their process "
        + "died), cancelled and pending.",
        "Reads the folder alone, so it works for local runs, GPU workers, Slurm and Kubernetes alike."})
final class StatusCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RESULTS_DIR", description = "The results folder (e.g. runs/quickstart).")
  Path dir;

  @Option(names = "--grid", paramLabel = "GRID.yaml", description = "Take the cells from this grid instead of the folder's plan.json.")
  Path gridFile;

  @Option(names = "--cells", description = "List every cell, not just the running, failed and abandoned ones.")
  boolean all;

  @Override
  protected ExitCode execute() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(dir, null, "not a folder: name a results folder, e.g. runs/<grid name>");
    }
    PlanManifest plan;
    if (gridFile != null) {
      GridOptions g = new GridOptions();
      g.gridOption = gridFile;
      plan = g.plan(false).manifest();
    } else {
      plan = PlanManifest.read(dir).orElseThrow(() -> new InvalidInputException(dir.resolve(PlanManifest.FILE), null,
          "not found: this folder has no plan yet (no run or submission wrote it); give --grid GRID.yaml"));
    }
    StatusListing.print(dir, plan, all, out());
    return ExitCode.OK;
  }
}
