package org.peftharness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellSelection;
import org.peftharness.grid.GridPlan;
import org.peftharness.results.FolderStatus;
import org.peftharness.results.ResultsFolder;
import org.peftharness.submit.KubernetesJob;
import org.peftharness.submit.Slurm;
import org.peftharness.submit.SlurmScript;
import org.peftharness.submit.Submission;
import org.peftharness.submit.SubmissionLog;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code harness submit --grid G --slurm|--k8s}: hand the grid's unfinished cells to a cluster's scheduler. */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Hand a grid's unfinished cells to Slurm (an sbatch array job, submitted) or to",
        "Kubernetes (an Indexed Job manifest, for kubectl apply). Each array task runs",
        "'harness run' for its cells against the shared results folder. Submitting the same",
        "command again submits only the cells still unfinished; 'harness status' follows it."})
final class SubmitCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @Mixin GridOptions grid;

  static final class Scheduler {
    @Option(names = "--slurm", required = true, description = "Write an sbatch array script and submit it.")
    boolean slurm;

    @Option(names = "--k8s", required = true, description = "Write a Kubernetes Indexed Job manifest.")
    boolean k8s;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Scheduler scheduler;

  @Option(names = "--out", paramLabel = "DIR", description = "Results folder, shared by every task (default: runs/<grid name>).")
  Path out;

  @Option(names = "--cell-index", paramLabel = "LIST", description = "Submit only these cells (positions as 'harness plan' lists them).")
  String cellIndex;

  @Option(names = "--cells-per-task", paramLabel = "K", defaultValue = "1",
      description = "Cells each array task runs one after another (default ${DEFAULT-VALUE}).")
  int cellsPerTask;

  @Option(names = "--array-parallel", paramLabel = "K", description = "At most K tasks at once (Slurm %%K; Kubernetes parallelism).")
  Integer arrayParallel;

  @Option(names = "--gpus-per-cell", paramLabel = "N", defaultValue = "1", description = "GPUs each task asks for (default ${DEFAULT-VALUE}; 0 for CPU).")
  int gpusPerCell;

  @Option(names = "--cpus-per-cell", paramLabel = "N", description = "CPU cores each task asks for.")
  Integer cpusPerCell;

  @Option(names = "--mem", paramLabel = "SIZE", description = "Memory each task asks for (Slurm form, e.g. 32G; Kubernetes form, e.g. 32Gi).")
  String memory;

  @Option(names = "--retry-failed", description = "Submit failed cells again too (by default a failed cell is final).")
  boolean retryFailed;

  @Option(names = "--dry-run", description = "Write the script or manifest and show it; submit nothing.")
  boolean dryRun;

  @Option(names = "--partition", paramLabel = "P", description = "Slurm partition.")
  String partition;

  @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Slurm time limit per task.")
  String time;

  @Option(names = "--sbatch", paramLabel = "OPTION", description = "Another #SBATCH line, e.g. --sbatch=--account=lab (repeatable).")
  List<String> extraSbatch = new ArrayList<>();

  @Option(names = "--wait", description = "Slurm: wait until the job has left the queue, showing progress, then summarise.")
  boolean await;

  @Option(names = "--image", paramLabel = "IMAGE",
      description = "Kubernetes: the harness image, built from the Dockerfile and pushed where the cluster pulls from (required with --k8s).")
  String image;

  @Option(names = "--namespace", paramLabel = "N", description = "Kubernetes namespace (default: kubectl's current one).")
  String namespace;

  @Option(names = "--pvc", paramLabel = "CLAIM", defaultValue = "harness-workspace",
      description = "Kubernetes: the persistent volume claim holding this folder's grids, data, models and results (default ${DEFAULT-VALUE}).")
  String pvc;

  @Option(names = "--mount-path", paramLabel = "PATH", defaultValue = "/workspace",
      description = "Kubernetes: where the claim is mounted and the pods run; it stands for the current folder, so the grid, data, models and results must be under it (default ${DEFAULT-VALUE}).")
  String mountPath;

  @Option(names = "--retries-per-cell", paramLabel = "N", defaultValue = "1",
      description = "Kubernetes: retries of a pod that crashed or was OOM-killed; a cell that failed and was recorded, or an edited grid, is not retried (default ${DEFAULT-VALUE}).")
  int retriesPerCell;

  @Override
  public Integer call() throws IOException, InterruptedException {
    GridPlan plan = grid.plan(true);
    Path dir = GridOptions.resultsDir(out, plan);
    PrintWriter o = spec.commandLine().getOut();
    if (cellsPerTask < 1) {
      throw new InvalidInputException("argument --cells-per-task", 0, null, "must be 1 or more");
    }
    if (arrayParallel != null && arrayParallel < 1) {
      throw new InvalidInputException("argument --array-parallel", 0, null, "must be 1 or more");
    }
    if (gpusPerCell < 0) {
      throw new InvalidInputException("argument --gpus-per-cell", 0, null, "must be 0 or more");
    }
    List<Cell> candidates = CellSelection.of(cellIndex, null, null).apply(plan.cells());
    return scheduler.slurm ? slurm(plan, dir, candidates, o) : kubernetes(plan, dir, candidates, o);
  }

  private int slurm(GridPlan plan, Path dir, List<Cell> candidates, PrintWriter o) throws IOException, InterruptedException {
    if (time != null && !time.matches("([0-9]+-)?[0-9]+(:[0-9]{2}){0,2}")) {
      throw new InvalidInputException("argument --time", 0, null, "'" + time + "' is not a Slurm time (HH:MM:SS, or D-HH:MM:SS)");
    }
    Path slurmDir = dir.resolve("slurm");
    boolean live = Slurm.available();
    if (!live && !dryRun) {
      throw new InvalidInputException("argument --slurm", 0, null,
          "sbatch is not on PATH: run this on a Slurm login node, or add --dry-run to only write the script");
    }
    Set<String> queued = live ? SubmissionLog.cellsOf(slurmDir, Slurm.activeTasks(SlurmScript.jobName(plan.spec().name()))) : Set.of();
    Submission s = Submission.of(plan, grid.grid(), dir, grid.dataDir, grid.modelsDir, candidates, cellsPerTask, retryFailed, queued);
    if (!queued.isEmpty()) {
      o.printf(Locale.ROOT, "%d cell(s) are still queued or running in earlier jobs; they are not submitted again%n", queued.size());
    }
    if (s.isEmpty()) {
      o.printf(Locale.ROOT, "nothing to submit: every selected cell of %s is finished, running or queued (harness status %s)%n",
          plan.spec().name(), dir);
      o.flush();
      return 0;
    }
    SlurmScript.Options opts = new SlurmScript.Options(arrayParallel, partition, gpusPerCell, cpusPerCell, memory, time,
        extraSbatch, live ? Slurm.maxArraySize() : Slurm.DEFAULT_MAX_ARRAY_SIZE);
    Path logs = slurmDir.resolve("logs").toAbsolutePath().normalize();
    String text = SlurmScript.render(s, opts, SelfCommand.harness(), Path.of("").toAbsolutePath(), logs);
    Files.createDirectories(logs);
    Path script = slurmDir.resolve(SlurmScript.jobName(s.gridName()) + "-" + stamp() + ".sbatch");
    Files.writeString(script, text);
    plan.manifest().write(dir); // for 'harness status', before any task starts
    script.toFile().setExecutable(true);
    o.printf(Locale.ROOT, "%d cell(s) in %d array task(s); script %s%n", s.cells().size(), s.tasks(), script);
    if (dryRun) {
      o.print(text);
      o.println("dry run: nothing submitted");
      o.flush();
      return 0;
    }
    String job = Slurm.submit(script.toAbsolutePath());
    SubmissionLog.append(slurmDir, job, script, s, SlurmScript.indexIsCell(s, opts));
    o.printf(Locale.ROOT, "submitted Slurm job %s; logs in %s; follow it with: harness status %s%n", job, logs, dir);
    o.flush();
    return await ? await(job, plan, dir, o) : 0;
  }

  private int await(String job, GridPlan plan, Path dir, PrintWriter o) throws InterruptedException {
    String last = "";
    while (Slurm.active(job)) {
      String now = StatusCommand.countsLine(FolderStatus.of(new ResultsFolder(dir), plan.manifest().cells()));
      if (!now.equals(last)) {
        o.println("  " + now);
        o.flush();
        last = now;
      }
      Thread.sleep(3000);
    }
    FolderStatus.Report r = FolderStatus.of(new ResultsFolder(dir), plan.manifest().cells());
    o.println("job " + job + " has left the queue: " + StatusCommand.countsLine(r));
    o.flush();
    Map<FolderStatus.State, Integer> c = r.counts();
    return c.get(FolderStatus.State.FAILED) > 0 ? ExitCode.RUN_FAILED.code() : 0;
  }

  private int kubernetes(GridPlan plan, Path dir, List<Cell> candidates, PrintWriter o) throws IOException {
    if (image == null) {
      throw new InvalidInputException("argument --k8s", 0, null, "name the harness image with --image (built from the Dockerfile)");
    }
    // The pods resolve no path of their own: the data and model folders this machine resolved from the grid
    // are passed explicitly, so that a grid's absolute data_dir cannot point the pods somewhere else.
    boolean modelFolders = plan.spec().models().stream().anyMatch(m -> plan.modelPath(m) != null);
    Path data = grid.dataDir != null ? grid.dataDir : plan.dataDir();
    Path models = !modelFolders ? null : grid.modelsDir != null ? grid.modelsDir : plan.modelsDir();
    Submission s = Submission.of(plan, grid.grid(), dir, data, models, candidates, cellsPerTask, retryFailed, Set.of());
    if (s.isEmpty()) {
      o.printf(Locale.ROOT, "nothing to submit: every selected cell of %s is finished or running (harness status %s)%n",
          plan.spec().name(), dir);
      o.flush();
      return 0;
    }
    KubernetesJob.Options opts = new KubernetesJob.Options(image, namespace, gpusPerCell, arrayParallel, cpusPerCell, memory,
        pvc, mountPath, retriesPerCell);
    KubernetesJob.Manifest job = KubernetesJob.manifest(s, opts, Path.of("").toAbsolutePath());
    Path file = dir.resolve("k8s").resolve(job.name() + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, job.yaml());
    plan.manifest().write(dir); // for 'harness status'; the pods' runs write the same file
    o.printf(Locale.ROOT, "%d cell(s) in %d completion index(es) of job %s; manifest %s%n", s.cells().size(), s.tasks(),
        job.name(), file);
    if (dryRun) {
      o.print(job.yaml());
    }
    o.printf(Locale.ROOT, "apply it with: kubectl apply -f %s; follow it with: harness status %s%n", file, dir);
    o.flush();
    return 0;
  }

  private static String stamp() {
    return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }
}
