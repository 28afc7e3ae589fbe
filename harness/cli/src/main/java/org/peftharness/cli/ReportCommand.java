package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.ExitCode;
import org.peftharness.core.files.OutputLocations;
import org.peftharness.reports.ReportService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness report}: markdown and self-contained HTML with tables and plots, from result files only. */
@Command(name = "report",
    description = "Write report.md, a self-contained report.html and the plots (PNG, SVG) from one or more results folders.")
final class ReportCommand extends BaseCommand {

  @Parameters(arity = "1..*", paramLabel = "RESULTS_DIR", description = "Results folders (each with results.csv).")
  List<Path> results;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the report.")
  Path out;

  @Option(names = "--baselines", split = ",", paramLabel = "FILE",
      description = "Baseline files whose numbers are drawn and tabulated beside the measured ones, labelled as "
          + "paper-reported; each results folder's baselines/*.yaml (copied there by run from the grid's baselines:) "
          + "are read too.")
  List<Path> baselines;

  @Override
  protected ExitCode execute() throws IOException {
    OutputLocations.requireFolder(out, "argument --out");
    ReportService.Report r = Reports.write(results, out, baselines);
    out().println("report: " + r.markdown() + " and " + r.html());
    return ExitCode.OK;
  }
}
