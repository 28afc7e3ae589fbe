package org.peftharness.reports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * Reads result rows from one or more results folders. A folder's {@code results.csv} is used when
 * present; otherwise the committed cells' {@code rows.csv} files (a folder whose grid was killed
 * before the first rebuild). A cell found in two folders is counted once, from the first folder,
 * so that passing overlapping folders never double-counts seeds.
 */
public final class ResultsLoader {
  private ResultsLoader() {}

  public record Loaded(List<LoadedRow> rows, List<String> notes) {}

  public static Loaded load(List<Path> dirs) {
    if (dirs.isEmpty()) {
      throw new InvalidInputException("arguments", 0, "results", "no results folder given");
    }
    List<LoadedRow> out = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Path> cellFolder = new HashMap<>();
    Set<Path> seenDirs = new HashSet<>();
    for (Path dir : dirs) {
      if (!seenDirs.add(dir.toAbsolutePath().normalize())) {
        notes.add(dir + " was given more than once; read once");
        continue;
      }
      List<ResultRow> rows = read(dir);
      Set<String> skipped = new HashSet<>();
      for (ResultRow r : rows) {
        Path first = cellFolder.putIfAbsent(r.cellId(), dir);
        if (first != null && !first.equals(dir)) {
          if (skipped.add(r.cellId())) {
            notes.add("cell " + r.cellId() + " is in both " + first + " and " + dir + "; the first is used");
          }
          continue;
        }
        out.add(new LoadedRow(r, dir));
      }
    }
    return new Loaded(out, notes);
  }

  static List<ResultRow> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InvalidInputException(dir, null, "not a folder (expected a results folder with results.csv)");
    }
    ResultsFolder folder = new ResultsFolder(dir);
    if (Files.isRegularFile(folder.resultsCsv()) || Files.isDirectory(dir.resolve(ResultsFolder.CELLS))) {
      return folder.readRows();
    }
    throw new InvalidInputException(dir, null, "no results.csv and no cells/ folder: not a results folder");
  }
}
