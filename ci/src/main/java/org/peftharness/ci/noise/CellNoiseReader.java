package org.peftharness.ci.noise;

import java.nio.file.Files;
import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;
import org.peftharness.reports.stats.PerExampleData;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.stats.ExampleError;

/**
 * The example-level noise of finished cells, from their per-example verdicts as the report reads
 * them ({@link PerExampleData}: binomial for an accuracy, the bootstrap over examples for F1, MCC,
 * Pearson and Spearman), so {@code check} and the report give a cell the same standard error. Where
 * a cell's verdicts cannot be used (none stored, or they are of another evaluation than the row's
 * number), an accuracy falls back to the binomial SE of the row's value and n, and says so; the
 * other metrics have no such formula, and the noise rule cannot judge them (invalid input).
 */
public final class CellNoiseReader {
  private final ResultsFolder folder;
  private final PerExampleData data = new PerExampleData();

  public CellNoiseReader(Path resultsDir) {
    this.folder = new ResultsFolder(resultsDir);
  }

  /**
   * @param entry where the comparison that needs it is declared ({@code file:line}), for messages
   * @throws InvalidInputException when no example-level SE can be formed for the row
   */
  public ExampleNoise of(ResultRow row, String entry) {
    Path cellDir = folder.cellDir(row.cellId());
    PerExampleData.Found found = data.of(cellDir, row);
    if (found.values() != null) {
      ExampleError e = found.values().error();
      if (Double.isNaN(e.se())) {
        throw new InvalidInputException(verdicts(cellDir, row), 0, null, "the " + row.metric() + " of cell " + row.cellId()
            + " is undefined on almost every resample of its examples (" + e.method() + "), so it has no example-level "
            + "standard error; the noise rule cannot judge the baseline entry at " + entry + " (use --rule tolerance)");
      }
      return new ExampleNoise(e.se(), e.n(), e.method(), null);
    }
    if ("accuracy".equalsIgnoreCase(row.metric())) {
      if (row.n() == null || row.n() <= 0) {
        // the row was read from results.csv, or from the cell's own rows.csv where the folder has no results.csv yet
        Path rows = Files.isRegularFile(folder.resultsCsv()) ? folder.resultsCsv() : cellDir.resolve(ResultsFolder.ROWS_CSV);
        throw new InvalidInputException(rows, 0, "n", "cell " + row.cellId() + " has no usable per-example "
            + "verdicts (" + found.missing() + ") and its row no example count, so the noise rule has no standard error "
            + "for the baseline entry at " + entry + " (use --rule tolerance)");
      }
      return ExampleNoise.binomial(row.value(), row.n(), found.missing());
    }
    throw new InvalidInputException(verdicts(cellDir, row), 0, null, "cell " + row.cellId() + " has no usable per-example "
        + "verdicts (" + found.missing() + "), and " + row.metric() + ", unlike an accuracy, has no binomial standard "
        + "error to fall back to; the noise rule cannot judge the baseline entry at " + entry
        + " (use --rule tolerance, with a tolerance in the entry)");
  }

  private static Path verdicts(Path cellDir, ResultRow row) {
    return cellDir.resolve("eval").resolve(row.task()).resolve(PerExampleData.FILE);
  }
}
