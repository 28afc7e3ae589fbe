package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.CellSelection;
import org.peftharness.grid.GridPlan;
import org.peftharness.submit.KubernetesJob;
import org.peftharness.submit.KubernetesSubmit;
import org.peftharness.submit.SlurmSubmit;
import org.peftharness.submit.SubmitRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code harness submit --grid G --slurm|--k8s}: hand the grid's unfinished cells to a cluster's scheduler. */
@Command(name = "submit",
    description = {"Hand a grid's unfinished cells to Slurm (an sbatch array job, submitted) or to Kubernetes (an "
        + "Indexed Job manifest, for kubectl apply).",
        "Each array task runs 'harness run' for its cells against the shared results folder. Submitting the same command "
        + "again submits only the cells still unfinished; 'harness status' follows it."})
final class SubmitCommand extends BaseCommand {
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

  @ArgGroup(exclusive = false, validate = false, heading = "%nWith --slurm:%n")
  SubmitSlurmOptions slurmOptions = new SubmitSlurmOptions();

  @ArgGroup(exclusive = false, validate = false, heading = "%nWith --k8s:%n")
  SubmitKubernetesOptions k8sOptions = new SubmitKubernetesOptions();

  @Override
  protected ExitCode execute() throws IOException, InterruptedException {
    if (scheduler.slurm) {
      refuseOptionsOf(SubmitKubernetesOptions.class, "--slurm", "--k8s");
    } else {
      refuseOptionsOf(SubmitSlurmOptions.class, "--k8s", "--slurm");
    }
    if (cellsPerTask < 1) {
      throw new InvalidInputException("argument --cells-per-task", 0, null, "must be 1 or more");
    }
    if (arrayParallel != null && arrayParallel < 1) {
      throw new InvalidInputException("argument --array-parallel", 0, null, "must be 1 or more");
    }
    if (gpusPerCell < 0) {
      throw new InvalidInputException("argument --gpus-per-cell", 0, null, "must be 0 or more");
    }
    // the settings check their values as they are made: a bad flag fails before the grid is read
    SubmitSlurmOptions s = slurmOptions;
    SlurmSubmit.Settings slurm = scheduler.slurm ? new SlurmSubmit.Settings(arrayParallel, s.partition, gpusPerCell, cpusPerCell,
        memory, s.time, s.extraSbatch, s.await) : null;
    GridPlan plan = grid.plan(true);
    Path dir = GridOptions.resultsDir(out, plan);
    SubmitRequest request = new SubmitRequest(plan, grid.runArguments(dir, plan, retryFailed),
        CellSelection.of(cellIndex, null, null).apply(plan.cells()), cellsPerTask, dryRun);
    if (slurm != null) {
      return SlurmSubmit.submit(request, slurm, SelfCommand.harness(), out());
    }
    SubmitKubernetesOptions k = k8sOptions;
    if (k.image == null) {
      throw new InvalidInputException("argument --k8s", 0, null, "name the harness image with --image (built from the Dockerfile)");
    }
    KubernetesSubmit.submit(request, new KubernetesJob.Options(k.image, k.namespace, gpusPerCell, arrayParallel, cpusPerCell,
        memory, k.pvc, k.mountPath, k.retriesPerCell), out());
    return ExitCode.OK;
  }

  /** A Slurm-only option with --k8s (or the reverse) would be silently ignored: refuse it instead. */
  private void refuseOptionsOf(Class<?> group, String chosen, String other) {
    for (ArgGroupSpec g : spec.argGroups()) {
      if (g.typeInfo().getType() != group) {
        continue;
      }
      for (OptionSpec o : g.options()) {
        if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
          throw new InvalidInputException("argument " + o.longestName(), 0, null, "applies only with " + other + ", not with " + chosen);
        }
      }
    }
  }
}
