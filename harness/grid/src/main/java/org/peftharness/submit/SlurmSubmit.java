package org.peftharness.submit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.GridPlan;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.ResultsFolder;

/**
 * {@code harness submit --slurm}: writes an sbatch array script for the unfinished cells that no
 * earlier job still holds in the queue, submits it, and with {@code wait} follows the folder until
 * the job has left the queue.
 */
public final class SlurmSubmit {
  /**
   * Slurm's resources and limits for each array task; {@code maxArraySize} is taken from the cluster.
   * Each value becomes an {@code #SBATCH} line of a bash script, so each is checked when the
   * settings are made, before the grid is read: a malformed one is an input error naming its flag,
   * never a script sbatch refuses later (or a line break that writes a command into the script).
   */
  public record Settings(Integer arrayParallel, String partition, int gpusPerCell, Integer cpusPerCell, String memory,
      String time, List<String> extraSbatch, boolean await) {
    public Settings {
      if (time != null && !time.matches("([0-9]+-)?[0-9]+(:[0-9]{2}){0,2}")) {
        throw new InvalidInputException("argument --time", 0, null, "'" + time + "' is not a Slurm time (HH:MM:SS, or D-HH:MM:SS)");
      }
      // sbatch --mem: "Default units are megabytes. Different units can be specified using the suffix [K|M|G|T]"
      if (memory != null && !memory.matches("[0-9]+[KMGTkmgt]?")) {
        throw new InvalidInputException("argument --mem", 0, null, "'" + memory + "' is not a Slurm memory size: a number of "
            + "megabytes, or a number with the unit K, M, G or T (e.g. 16G, 500M)");
      }
      if (cpusPerCell != null && cpusPerCell < 1) {
        throw new InvalidInputException("argument --cpus-per-cell", 0, null, "must be 1 or more");
      }
      oneLine("--partition", partition);
      for (String extra : extraSbatch) {
        oneLine("--sbatch", extra);
        if (!extra.startsWith("-")) {
          throw new InvalidInputException("argument --sbatch", 0, null, "'" + extra + "' is not an sbatch option (e.g. --account=lab)");
        }
      }
      extraSbatch = List.copyOf(extraSbatch);
    }

    private static void oneLine(String option, String value) {
      if (value != null && (value.isBlank() || value.chars().anyMatch(Character::isISOControl))) {
        throw new InvalidInputException("argument " + option, 0, null, "'" + value.replaceAll("\\p{Cntrl}", "?")
            + "' is not one #SBATCH value: it is blank or holds a line break or another control character");
      }
    }
  }

  private static final long POLL_MILLIS = 3000;

  private SlurmSubmit() {}

  /** @param harness the command the tasks call (the checkout's launcher) */
  public static ExitCode submit(SubmitRequest r, Settings settings, List<String> harness, PrintWriter o)
      throws IOException, InterruptedException {
    GridPlan plan = r.plan();
    Path slurmDir = r.resultsDir().resolve("slurm");
    boolean live = Slurm.available();
    if (!live && !r.dryRun()) {
      throw new InvalidInputException("argument --slurm", 0, null,
          "sbatch is not on PATH: run this on a Slurm login node, or add --dry-run to only write the script");
    }
    Set<String> queued = live ? SubmissionLog.cellsOf(slurmDir, Slurm.activeTasks(SlurmScript.jobName(plan.spec().name()))) : Set.of();
    Submission s = Submission.of(plan, r.run(), r.candidates(), r.cellsPerTask(), queued);
    if (!queued.isEmpty()) {
      o.printf(Locale.ROOT, "%d cell(s) are still queued or running in earlier jobs; they are not submitted again%n", queued.size());
    }
    if (s.isEmpty()) {
      o.printf(Locale.ROOT, "nothing to submit: every selected cell of %s is finished, running or queued (harness status %s)%n",
          plan.spec().name(), r.resultsDir());
      return ExitCode.OK;
    }
    SlurmScript.Options opts = new SlurmScript.Options(settings.arrayParallel(), settings.partition(), settings.gpusPerCell(),
        settings.cpusPerCell(), settings.memory(), settings.time(), settings.extraSbatch(),
        live ? Slurm.maxArraySize() : Slurm.DEFAULT_MAX_ARRAY_SIZE);
    Path logs = slurmDir.resolve("logs").toAbsolutePath().normalize();
    String text = SlurmScript.render(s, opts, harness, Path.of("").toAbsolutePath(), logs);
    Files.createDirectories(logs);
    Path script = slurmDir.resolve(SlurmScript.jobName(s.gridName()) + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".sbatch");
    Files.writeString(script, text);
    plan.manifest().write(r.resultsDir()); // for 'harness status', before any task starts
    script.toFile().setExecutable(true);
    o.printf(Locale.ROOT, "%d cell(s) in %d array task(s); script %s%n", s.cells().size(), s.tasks(), script);
    if (r.dryRun()) {
      o.print(text);
      o.println("dry run: nothing submitted");
      return ExitCode.OK;
    }
    String job = Slurm.submit(script.toAbsolutePath());
    SubmissionLog.append(slurmDir, job, script, s, SlurmScript.indexIsCell(s, opts));
    o.printf(Locale.ROOT, "submitted Slurm job %s; logs in %s; follow it with: harness status %s%n", job, logs, r.resultsDir());
    o.flush();
    return settings.await() ? await(job, plan, r.resultsDir(), o) : ExitCode.OK;
  }

  /** Follows the folder while the job is in the queue, printing the counts each time they change. */
  private static ExitCode await(String job, GridPlan plan, Path dir, PrintWriter o) throws InterruptedException {
    String last = "";
    while (Slurm.active(job)) {
      String now = FolderStatus.of(new ResultsFolder(dir), plan.manifest().cells()).summaryLine();
      if (!now.equals(last)) {
        o.println("  " + now);
        o.flush();
        last = now;
      }
      Thread.sleep(POLL_MILLIS);
    }
    FolderStatus.Report report = FolderStatus.of(new ResultsFolder(dir), plan.manifest().cells());
    o.println("job " + job + " has left the queue: " + report.summaryLine());
    return report.counts().get(FolderStatus.State.FAILED) > 0 ? ExitCode.RUN_FAILED : ExitCode.OK;
  }
}
