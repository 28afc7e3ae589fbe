package org.peftharness.cli;

import picocli.CommandLine.Option;

/** The options of {@code submit} that only Kubernetes has; refused with {@code --slurm}. */
final class SubmitKubernetesOptions {
  @Option(names = "--image", paramLabel = "IMAGE",
      description = "The harness image, built from the Dockerfile and pushed where the cluster pulls from (required).")
  String image;

  @Option(names = "--namespace", paramLabel = "N", description = "Kubernetes namespace (default: kubectl's current one).")
  String namespace;

  @Option(names = "--pvc", paramLabel = "CLAIM", defaultValue = "harness-workspace",
      description = "The persistent volume claim holding this folder's grids, data, models and results (default ${DEFAULT-VALUE}).")
  String pvc;

  @Option(names = "--mount-path", paramLabel = "PATH", defaultValue = "/workspace",
      description = "Where the claim is mounted and the pods run; it stands for the current folder, so the grid, data, "
          + "models and results must be under it (default ${DEFAULT-VALUE}).")
  String mountPath;

  @Option(names = "--retries-per-cell", paramLabel = "N", defaultValue = "1",
      description = "Retries of a pod that crashed or was OOM-killed; a cell that failed and was recorded, or an edited "
          + "grid, is not retried (default ${DEFAULT-VALUE}).")
  int retriesPerCell;
}
