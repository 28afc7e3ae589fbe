package org.peftharness.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who runs a cell: host, process id and the scheduler's name for the job. Written into a running
 * cell's claim (so other processes and {@code harness status} can tell running from abandoned) and
 * into the cell's provenance.
 */
public record Runner(String host, long pid, String scheduler) {
  public static Runner current() {
    return new Runner(localHost(), ProcessHandle.current().pid(), schedulerFrom(System.getenv()));
  }

  /** The kernel's host name, read locally: {@code InetAddress.getLocalHost()} may ask a DNS server. */
  static String localHost() {
    try {
      String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!h.isEmpty()) {
        return h;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall back to the environment
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "unknown" : env;
  }

  /** The job's name as its scheduler knows it, from the variables Slurm, Kubernetes and {@code run --gpus} set. */
  static String schedulerFrom(Map<String, String> env) {
    if (env.containsKey("SLURM_ARRAY_JOB_ID") && env.containsKey("SLURM_ARRAY_TASK_ID")) {
      return "slurm job " + env.get("SLURM_ARRAY_JOB_ID") + "_" + env.get("SLURM_ARRAY_TASK_ID");
    }
    if (env.containsKey("SLURM_JOB_ID")) {
      return "slurm job " + env.get("SLURM_JOB_ID");
    }
    if (env.containsKey("JOB_COMPLETION_INDEX")) {
      return "kubernetes job index " + env.get("JOB_COMPLETION_INDEX");
    }
    if (env.containsKey("HARNESS_WORKER_GPU")) {
      return "harness worker on GPU " + env.get("HARNESS_WORKER_GPU");
    }
    return "local";
  }
}
