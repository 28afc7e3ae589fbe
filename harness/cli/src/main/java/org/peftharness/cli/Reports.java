package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.reports.ReportService;
import org.peftharness.results.ResultsFolder;

/**
 * The report that {@code report} writes on request and {@code run} after its cells, with paper
 * numbers beside the measured ones: those of the files given with {@code --baselines} and those
 * {@code run} copied into each results folder's {@code baselines/}. The same point from several
 * files is shown once ({@link ReportService} drops identical points).
 */
final class Reports {
  private Reports() {}

  static ReportService.Report write(List<Path> results, Path out, List<Path> baselines) throws IOException {
    LinkedHashSet<Path> files = new LinkedHashSet<>();
    for (Path dir : results) {
      files.addAll(new ResultsFolder(dir).baselineFiles());
    }
    if (baselines != null) {
      files.addAll(baselines);
    }
    return files.isEmpty()
        ? ReportService.report(results, out)
        : ReportService.report(results, out, Baselines.loadReferencePoints(new ArrayList<>(files)));
  }
}
