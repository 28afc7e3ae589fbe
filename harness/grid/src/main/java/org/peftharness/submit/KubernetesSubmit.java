package org.peftharness.submit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.peftharness.grid.RunArguments;

/**
 * {@code harness submit --k8s}: writes an Indexed Job manifest for the unfinished cells under
 * {@code RESULTS_DIR/k8s/} and applies nothing; {@code kubectl apply} is the user's step.
 */
public final class KubernetesSubmit {
  private KubernetesSubmit() {}

  public static void submit(SubmitRequest r, KubernetesJob.Options options, PrintWriter o) throws IOException {
    // The pods resolve no path of their own: the data and model folders this machine resolved from the grid
    // are passed explicitly, so that a grid's absolute data_dir cannot point the pods somewhere else.
    RunArguments given = r.run();
    boolean modelFolders = r.plan().spec().models().stream().anyMatch(m -> r.plan().modelPath(m) != null);
    Path data = given.dataDir() != null ? given.dataDir() : r.plan().dataDir();
    Path models = !modelFolders ? null : given.modelsDir() != null ? given.modelsDir() : r.plan().modelsDir();
    RunArguments run = new RunArguments(given.grid(), given.resultsDir(), data, models, given.fingerprint(), given.retryFailed());
    Submission s = Submission.of(r.plan(), run, r.candidates(), r.cellsPerTask(), Set.of());
    if (s.isEmpty()) {
      o.printf(Locale.ROOT, "nothing to submit: every selected cell of %s is finished or running (harness status %s)%n",
          r.plan().spec().name(), r.resultsDir());
      return;
    }
    KubernetesJob.Manifest job = KubernetesJob.manifest(s, options, Path.of("").toAbsolutePath());
    Path file = r.resultsDir().resolve("k8s").resolve(job.name() + ".yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, job.yaml());
    r.plan().manifest().write(r.resultsDir()); // for 'harness status'; the pods' runs write the same file
    o.printf(Locale.ROOT, "%d cell(s) in %d completion index(es) of job %s; manifest %s%n", s.cells().size(), s.tasks(),
        job.name(), file);
    if (r.dryRun()) {
      o.print(job.yaml());
    }
    o.printf(Locale.ROOT, "apply it with: kubectl apply -f %s; follow it with: harness status %s%n", file, r.resultsDir());
  }
}
