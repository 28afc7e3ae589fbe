package org.peftharness.grid;

import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.yaml.YNode;

/**
 * A grid file as written: the axes, the default settings and the overrides, each with its location.
 *
 * @param trainOn what every cell trains on ({@code train_on:}), or null: each task trains on its
 *     own training split and is its cell's only evaluation
 * @param baselines published-number files (paths relative to the grid file) the grid is compared with
 * @param tune which train-setting sweeps are chosen on validation, and on which seeds ({@code tune:}), or null
 */
public record GridSpec(
    String name,
    String description,
    Path file,
    List<String> models,
    List<MethodEntry> methods,
    List<String> tasks,
    List<Long> seeds,
    YNode train,
    YNode eval,
    List<GridOverride> overrides,
    TrainOn trainOn,
    List<String> baselines,
    String dataDir,
    String modelsDir,
    Tune tune,
    YNode.YMap root) {

  /** The line of a top-level key (for errors about its value as a whole), or the file's first line. */
  public int line(String key) {
    YNode n = root == null ? null : root.entries().get(key);
    return n == null ? 1 : n.line();
  }
}
