package org.peftharness.grid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code harness run} arguments another process needs to run some of a grid's cells against
 * the same results folder: a GPU worker, a Slurm array task or a Kubernetes pod. The plan
 * fingerprint makes that process refuse a grid edited in the meantime.
 *
 * @param dataDir the data folder given on this command line, or null for the grid's own
 * @param modelsDir the models folder given on this command line, or null for the grid's own
 */
public record RunArguments(Path grid, Path resultsDir, Path dataDir, Path modelsDir, String fingerprint, boolean retryFailed) {

  /**
   * The arguments after {@code harness}, with {@code selection} choosing the cells (e.g.
   * {@code --cell-index 7}); {@code path} writes each path as the other process will see it.
   */
  public List<String> render(List<String> selection, Function<Path, String> path) {
    List<String> a = new ArrayList<>(List.of("run", "--grid", path.apply(grid), "--out", path.apply(resultsDir)));
    if (dataDir != null) {
      a.addAll(List.of("--data-dir", path.apply(dataDir)));
    }
    if (modelsDir != null) {
      a.addAll(List.of("--models-dir", path.apply(modelsDir)));
    }
    a.addAll(selection);
    a.addAll(List.of("--expect-plan", fingerprint, "--no-report"));
    if (retryFailed) {
      a.add("--retry-failed");
    }
    return a;
  }
}
