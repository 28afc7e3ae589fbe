package org.peftharness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.peftharness.core.text.Durations;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.FolderStatus.State;
import org.peftharness.results.PlanManifest;
import org.peftharness.results.ResultsFolder;
import org.peftharness.submit.Slurm;
import org.peftharness.submit.SlurmScript;
import org.peftharness.submit.SubmissionLog;
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
    FolderStatus.Report r = FolderStatus.of(new ResultsFolder(dir), plan.cells());
    PrintWriter o = out();
    o.printf(Locale.ROOT, "%s: grid %s, %d cells (plan %s)%n", dir, plan.grid(), plan.cells().size(), plan.fingerprint());
    o.println("  " + r.summaryLine());
    Instant now = Instant.now();
    if (all) {
      section(o, "cells", r.cells(), now);
    } else {
      section(o, "running", r.in(State.RUNNING), now);
      section(o, "failed", r.in(State.FAILED), now);
      section(o, "abandoned (their process is gone; the next run or submission runs them again)", r.in(State.ABANDONED), now);
      section(o, "cancelled (run again on resume)", r.in(State.CANCELLED), now);
    }
    if (r.foldersOutsidePlan() > 0) {
      o.printf(Locale.ROOT, "%d cell folder(s) belong to no cell of this plan (an earlier version of the grid)%n", r.foldersOutsidePlan());
    }
    List<String> jobs = SubmissionLog.jobs(dir.resolve("slurm"));
    if (!jobs.isEmpty()) {
      o.printf(Locale.ROOT, "Slurm jobs submitted for this folder: %s%n", String.join(", ", jobs));
      if (Slurm.available()) {
        var queued = SubmissionLog.cellsOf(dir.resolve("slurm"), Slurm.activeTasks(SlurmScript.jobName(plan.grid())));
        long waiting = r.in(State.PENDING).stream().filter(c -> queued.contains(c.cell().id())).count();
        o.printf(Locale.ROOT, "  of the pending cells, %d are queued in Slurm (squeue -r -n %s)%n", waiting, SlurmScript.jobName(plan.grid()));
      }
    }
    return ExitCode.OK;
  }

  private static void section(PrintWriter o, String title, List<FolderStatus.CellState> cells, Instant now) {
    if (cells.isEmpty()) {
      return;
    }
    o.println(title + ":");
    for (FolderStatus.CellState c : cells) {
      String when = c.since() == null ? ""
          : c.state() == State.RUNNING ? ", for " + Durations.format(Duration.between(c.since(), now).toMillis() / 1000.0)
          : "";
      o.printf(Locale.ROOT, "  %-5d %-12s %-10s %s%s%s%n", c.cell().index(), c.cell().id().substring(0, 12),
          c.state().name().toLowerCase(Locale.ROOT), c.cell().label(), c.detail() == null ? "" : "  " + c.detail(), when);
    }
  }
}
