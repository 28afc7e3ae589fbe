package org.peftharness.submit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The few Slurm commands the harness uses: sbatch, squeue, scontrol. Only the local client programs are run. */
public final class Slurm {
  /** Slurm's own default for MaxArraySize: array indices go up to 1000. */
  public static final int DEFAULT_MAX_ARRAY_SIZE = 1001;

  private Slurm() {}

  public static boolean available() {
    return onPath("sbatch");
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** The cluster's MaxArraySize, or Slurm's default where scontrol does not say. */
  public static int maxArraySize() {
    if (!onPath("scontrol")) {
      return DEFAULT_MAX_ARRAY_SIZE;
    }
    for (String line : run(List.of("scontrol", "show", "config")).map(r -> r.out).orElse("").split("\n")) {
      String[] kv = line.split("=", 2);
      if (kv.length == 2 && kv[0].trim().equals("MaxArraySize")) {
        try {
          return Integer.parseInt(kv[1].trim());
        } catch (NumberFormatException e) {
          return DEFAULT_MAX_ARRAY_SIZE;
        }
      }
    }
    return DEFAULT_MAX_ARRAY_SIZE;
  }

  /** Submits the script; returns the job id, or throws with sbatch's own message. */
  public static String submit(Path script) {
    Result r = run(List.of("sbatch", "--parsable", script.toString()))
        .orElseThrow(() -> new SubmitException("sbatch did not answer within a minute"));
    if (r.exit != 0) {
      throw new SubmitException("sbatch refused the job (exit " + r.exit + "): " + r.err.trim() + " " + r.out.trim());
    }
    String id = r.out.trim().split(";")[0];
    if (!id.matches("[0-9]+")) {
      throw new SubmitException("sbatch printed '" + r.out.trim() + "', not a job id");
    }
    return id;
  }

  /** The array elements ({@code 12_3}) of jobs with this name that are still queued or running. */
  public static Set<String> activeTasks(String jobName) {
    Set<String> out = new HashSet<>();
    if (!onPath("squeue")) {
      return out;
    }
    run(List.of("squeue", "-h", "-r", "-n", jobName, "-o", "%i")).filter(r -> r.exit == 0)
        .ifPresent(r -> r.out.lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(out::add));
    return out;
  }

  /** Whether the job has elements left in the queue (pending or running). */
  public static boolean active(String jobId) {
    return run(List.of("squeue", "-h", "-r", "-j", jobId, "-o", "%i")).map(r -> r.exit == 0 && !r.out.isBlank()).orElse(true);
  }

  /** Thrown when Slurm refuses or fails; the message is Slurm's. */
  public static final class SubmitException extends RuntimeException {
    public SubmitException(String message) {
      super(message);
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Optional<Result> run(List<String> cmd) {
    try {
      Path err = Files.createTempFile("harness-slurm", ".err");
      try {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return Optional.empty();
        }
        return Optional.of(new Result(p.exitValue(), out, Files.readString(err)));
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new SubmitException("cannot run " + cmd.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
