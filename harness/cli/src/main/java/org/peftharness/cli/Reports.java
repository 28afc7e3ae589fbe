package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.reports.ReportService;

/** The report that {@code report} writes on request and {@code run} after its cells, with paper numbers drawn beside when given. */
final class Reports {
  private Reports() {}

  static ReportService.Report write(List<Path> results, Path out, List<Path> baselines) throws IOException {
    return baselines == null || baselines.isEmpty()
        ? ReportService.report(results, out)
        : ReportService.report(results, out, Baselines.loadReferencePoints(baselines));
  }
}
