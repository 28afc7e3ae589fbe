package org.peftharness.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.AtomicFiles;
import org.peftharness.results.PlanManifest;
import org.peftharness.results.ResultsFolder;

/**
 * Copies the published-number files a grid names ({@code baselines:}) into its results folder as
 * {@code baselines/<file name>}, so that the folder alone says what its numbers are compared with:
 * {@code harness report} reads them from there, and they stay next to the results they were
 * compared with when the folder is moved or the originals change.
 *
 * <p>A copy whose content differs from the grid's file is replaced when the folder is this grid's
 * (its {@code plan.json} names this grid, or it has none yet): the file was edited since the last
 * run, and the folder should compare with what the grid now names. In a folder that another grid
 * wrote, a differing file of the same name is an error, so that one grid never silently replaces
 * the published numbers another grid's results are compared with. Call it before writing this
 * run's {@code plan.json}.
 */
public final class GridBaselines {
  private GridBaselines() {}

  /** Copies the grid's baseline files; returns the copies in the grid's order (none when it names none). */
  public static List<Path> copy(GridPlan plan, Path resultsDir) throws IOException {
    List<Path> files = plan.baselineFiles();
    if (files.isEmpty()) {
      return List.of();
    }
    GridSpec spec = plan.spec();
    Map<String, Path> byName = new LinkedHashMap<>();
    for (Path f : files) {
      Path other = byName.putIfAbsent(f.getFileName().toString(), f);
      if (other != null && !other.equals(f)) {
        throw new InvalidInputException(spec.file(), spec.line("baselines"), "baselines", "two files are named '"
            + f.getFileName() + "' (" + other + " and " + f + "); the results folder keeps one file per name: rename one");
      }
    }
    boolean ours = owner(resultsDir).map(grid -> grid.equals(spec.name())).orElse(true);
    ResultsFolder folder = new ResultsFolder(resultsDir);
    List<Path> copies = new ArrayList<>();
    for (Map.Entry<String, Path> e : byName.entrySet()) {
      Path target = folder.baselinesDir().resolve(e.getKey());
      byte[] bytes = Files.readAllBytes(e.getValue());
      if (Files.isRegularFile(target)) {
        if (Arrays.equals(Files.readAllBytes(target), bytes)) {
          copies.add(target);
          continue;
        }
        if (!ours) {
          throw new InvalidInputException(target, null, "differs from the grid's " + e.getValue() + ", and "
              + resultsDir + " holds another grid's results (plan.json): choose another --out, or remove the copy");
        }
      }
      AtomicFiles.write(target, bytes);
      copies.add(target);
    }
    return copies;
  }

  /** The grid that last wrote the folder's plan; empty for a new folder or an unreadable plan. */
  private static Optional<String> owner(Path resultsDir) {
    try {
      return PlanManifest.read(resultsDir).map(PlanManifest::grid);
    } catch (InvalidInputException e) {
      // a damaged plan.json is replaced by this run (PlanManifest.write), so the folder becomes this grid's
      return Optional.empty();
    }
  }
}
