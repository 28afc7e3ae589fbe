package org.peftharness.reports;

import java.nio.file.Path;
import org.peftharness.results.ResultRow;

/** A result row with the results folder it came from (where its cell's files live). */
public record LoadedRow(ResultRow row, Path folder) {
  public Path cellDir() {
    return folder.resolve("cells").resolve(row.cellId());
  }
}
