package org.peftharness.submit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.peftharness.core.text.Durations;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.FolderStatus.State;
import org.peftharness.results.PlanManifest;
import org.peftharness.results.ResultsFolder;

/**
 * A results folder's state as {@code harness status} prints it: the counts, the cells worth a look
 * (running and where, failed, abandoned, cancelled; every cell on request), and for Slurm how many
 * pending cells are still queued. It reads the folder alone, however the cells were run.
 */
public final class StatusListing {
  private StatusListing() {}

  public static void print(Path dir, PlanManifest plan, boolean all, PrintWriter o) throws IOException {
    FolderStatus.Report r = FolderStatus.of(new ResultsFolder(dir), plan.cells());
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
