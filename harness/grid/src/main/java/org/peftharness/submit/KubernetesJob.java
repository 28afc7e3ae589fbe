package org.peftharness.submit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.ExitCode;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.CellSelection;
import org.peftharness.results.Hashes;

/**
 * The Kubernetes Indexed Job for a {@link Submission}: one completion index per group of cells,
 * each pod running {@code harness run} against the results folder on a persistent volume claim
 * that stands for the folder {@code harness submit} ran in. Completion indexes are dense (0..n-1)
 * while the unfinished cells' positions are not, so every pod gets the whole list and picks its
 * group by index ({@code --cell-index LIST --cells-per-task K --task-index I}).
 */
public final class KubernetesJob {
  /** The container's command: the image's launcher, on its PATH (see the Dockerfile). */
  public static final String COMMAND = "harness";
  public static final String CONTAINER = "harness";
  /**
   * The completion index as the container's arguments name it. Kubernetes expands {@code $(VAR)} in
   * arguments only for variables defined in the container's env, so the index is defined there from
   * the pod's annotation rather than relying on the controller's JOB_COMPLETION_INDEX.
   */
  public static final String TASK_INDEX_VAR = "HARNESS_TASK_INDEX";
  public static final String COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
  /** Longest grid part of a job name: "harness-" + grid + "-" + 8 hex stays within a 63-character label. */
  private static final int GRID_IN_NAME = 45;

  /** What the user asked of Kubernetes; null fields are left out of the manifest. */
  public record Options(String image, String namespace, int gpusPerCell, Integer parallelism, Integer cpusPerCell,
      String memory, String pvc, String mountPath, int retriesPerCell) {}

  /** The job's name and its manifest text. */
  public record Manifest(String name, String yaml) {}

  private KubernetesJob() {}

  public static String render(Submission s, Options o, Path workdir) {
    return manifest(s, o, workdir).yaml();
  }

  /** @param workdir the folder the claim stands for; every path the job needs must be inside it */
  public static Manifest manifest(Submission s, Options o, Path workdir) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("a job needs at least one cell; callers say 'nothing to submit' instead");
    }
    check(o);
    MountedFolder folder = new MountedFolder(workdir, o.mountPath(), o.pvc());
    Map<String, Object> spec = jobSpec(s, o, folder);
    // the name hashes everything the job does: the same submission applied twice is one job, any change a new one
    String name = "harness-" + KubernetesNames.label(s.gridName(), GRID_IN_NAME) + "-"
        + Hashes.sha256(KubernetesYaml.dump(spec)).substring(0, 8);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (o.namespace() != null) {
      metadata.put("namespace", o.namespace());
    }
    metadata.put("labels", labels(s));
    metadata.put("annotations", map("harness/cells", CellSelection.formatIndices(s.cellIndices())));
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("apiVersion", "batch/v1");
    job.put("kind", "Job");
    job.put("metadata", metadata);
    job.put("spec", spec);
    return new Manifest(name, header(s, o, folder, name) + KubernetesYaml.dump(job));
  }

  private static void check(Options o) {
    if (o.image() == null || o.image().isBlank() || o.image().chars().anyMatch(Character::isWhitespace)) {
      throw new InvalidInputException("argument --image", 0, null, "name the harness image (built from the Dockerfile), e.g. registry.example.org/harness:1");
    }
    KubernetesNames.requireLabel(o.namespace(), "--namespace");
    KubernetesNames.requireSubdomain(o.pvc(), "--pvc");
    if (o.mountPath() == null || !o.mountPath().startsWith("/") || o.mountPath().contains(":")) {
      throw new InvalidInputException("argument --mount-path", 0, null, "'" + o.mountPath() + "' must be an absolute path without ':', e.g. /workspace");
    }
    if (o.gpusPerCell() < 0) {
      throw new InvalidInputException("argument --gpus-per-cell", 0, null, "must be 0 or more");
    }
    if (o.parallelism() != null && o.parallelism() < 1) {
      throw new InvalidInputException("argument --array-parallel", 0, null, "must be 1 or more");
    }
    if (o.cpusPerCell() != null && o.cpusPerCell() < 1) {
      throw new InvalidInputException("argument --cpus-per-cell", 0, null, "must be 1 or more");
    }
    if (o.retriesPerCell() < 0) {
      throw new InvalidInputException("argument --retries-per-cell", 0, null, "must be 0 or more");
    }
    if (o.memory() != null) {
      KubernetesNames.memory(o.memory(), "--mem");
    }
  }

  private static Map<String, Object> labels(Submission s) {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "harness");
    labels.put("harness/grid", KubernetesNames.label(s.gridName(), 63));
    labels.put("harness/plan", s.fingerprint());
    return labels;
  }

  private static Map<String, Object> jobSpec(Submission s, Options o, MountedFolder folder) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("completionMode", "Indexed");
    spec.put("completions", s.tasks());
    spec.put("parallelism", o.parallelism() != null ? Math.min(o.parallelism(), s.tasks()) : s.tasks());
    // retries count per index, so one cell's crashes never use up another's
    spec.put("backoffLimitPerIndex", o.retriesPerCell());
    spec.put("podFailurePolicy", map("rules", failureRules()));
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("metadata", map("labels", labels(s)));
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("restartPolicy", "Never");
    pod.put("containers", List.of(container(s, o, folder)));
    pod.put("volumes", List.of(map("name", "workspace", "persistentVolumeClaim", map("claimName", o.pvc()))));
    template.put("spec", pod);
    spec.put("template", template);
    return spec;
  }

  /**
   * A pod that was evicted or preempted did nothing wrong and is not counted. Exit 2 (the grid was
   * edited since submission: {@code --expect-plan} refused) and exit 3 (a cell failed and is recorded
   * as failed in the results folder) would fail the same way again, so the index fails at once.
   * Anything else (an OOM kill, a lost node, a crash) is retried up to backoffLimitPerIndex.
   */
  private static List<Object> failureRules() {
    return List.of(
        map("action", "Ignore", "onPodConditions", List.of(map("type", "DisruptionTarget", "status", "True"))),
        map("action", "FailIndex", "onExitCodes", map("containerName", CONTAINER, "operator", "In",
            "values", List.of(ExitCode.INVALID_INPUT.code(), ExitCode.RUN_FAILED.code()))));
  }

  private static Map<String, Object> container(Submission s, Options o, MountedFolder folder) {
    folder.relative(s.grid(), "--grid");
    folder.relative(s.resultsDir(), "--out");
    if (s.dataDir() != null) {
      folder.relative(s.dataDir(), "--data-dir");
    }
    if (s.modelsDir() != null) {
      folder.relative(s.modelsDir(), "--models-dir");
    }
    String index = "$(" + TASK_INDEX_VAR + ")";
    List<String> args = new ArrayList<>();
    // each path was checked above under its own option's name
    for (String a : s.runArguments(index, false, p -> folder.relative(p, "--grid"))) {
      args.add(a.equals(index) ? a : escape(a));
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", CONTAINER);
    c.put("image", o.image());
    c.put("workingDir", o.mountPath());
    c.put("command", List.of(COMMAND));
    c.put("args", args);
    Map<String, Object> fieldRef = map("fieldPath", "metadata.annotations['" + COMPLETION_INDEX_ANNOTATION + "']");
    c.put("env", List.of(
        map("name", TASK_INDEX_VAR, "valueFrom", map("fieldRef", fieldRef)),
        map("name", "OPT_OUT_TRACKING", "value", "true")));
    Map<String, Object> resources = resources(o);
    if (!resources.isEmpty()) {
      c.put("resources", resources);
    }
    c.put("volumeMounts", List.of(map("name", "workspace", "mountPath", o.mountPath())));
    return c;
  }

  private static Map<String, Object> resources(Options o) {
    Map<String, Object> resources = new LinkedHashMap<>();
    if (o.gpusPerCell() > 0) {
      // an extended resource: its limit is also its request
      resources.put("limits", map("nvidia.com/gpu", Integer.toString(o.gpusPerCell())));
    }
    Map<String, Object> requests = new LinkedHashMap<>();
    if (o.cpusPerCell() != null) {
      requests.put("cpu", Integer.toString(o.cpusPerCell()));
    }
    if (o.memory() != null) {
      requests.put("memory", o.memory());
    }
    if (!requests.isEmpty()) {
      resources.put("requests", requests);
    }
    return resources;
  }

  /**
   * A map that keeps the order it was given: the manifest reads in the usual order, and its text (which
   * the name hashes) is the same in every run, which Map.of's per-JVM iteration order would not give.
   */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Kubernetes reads "$$" in arguments as "$", so doubling every "$" keeps an argument exactly as it is. */
  static String escape(String arg) {
    return arg.replace("$", "$$");
  }

  private static String header(Submission s, Options o, MountedFolder folder, String name) {
    String results = folder.relative(s.resultsDir(), "--out");
    List<String> lines = new ArrayList<>();
    lines.add("Kubernetes Indexed Job written by `harness submit --k8s` at " + Instant.now() + " for grid " + s.gridName() + ":");
    lines.add(s.cells().size() + " of its " + s.totalCells() + " cells unfinished, in " + s.tasks() + " completion index(es) of up to "
        + s.perTask() + " cell(s); index i runs the i-th group of the cells listed in --cell-index.");
    lines.add("Pods run " + o.image() + " in " + o.mountPath() + ", where the claim " + o.pvc() + " holds the folder");
    lines.add(folder.workdir() + " (where harness submit ran); the paths below are relative to it.");
    lines.add("Apply:  kubectl apply -f <this file>    (needs Kubernetes 1.29 or later: backoffLimitPerIndex)");
    lines.add("Follow: harness status " + results + "    or    kubectl get job " + name
        + (o.namespace() == null ? "" : " -n " + o.namespace()));
    lines.add("A failed cell (exit 3) or an edited grid (exit 2) fails its index at once; a crashed pod is retried "
        + o.retriesPerCell() + " time(s); an evicted one does not count.");
    lines.add("Submitting the same command again writes a job for the cells still unfinished then. The name hashes the");
    lines.add("job's content: applying this file twice makes one job; delete a finished one to apply it again.");
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append("# ").append(l.replaceAll("\\R", " ")).append('\n');
    }
    return sb.toString();
  }
}
