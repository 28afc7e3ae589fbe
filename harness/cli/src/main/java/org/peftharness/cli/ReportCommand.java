package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.peftharness.ci.baseline.Baselines;
import org.peftharness.reports.ReportService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness report}: markdown and self-contained HTML with tables and plots, from result files only. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write report.md, a self-contained report.html and the plots (PNG, SVG) from one or more results folders.")
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RESULTS_DIR", description = "Results folders (each with results.csv).")
  List<Path> results;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the report.")
  Path out;

  @Option(names = "--baselines", split = ",", paramLabel = "FILE", description = "Baseline files whose numbers are drawn beside the measured ones, labelled as paper-reported.")
  List<Path> baselines;

  @Override
  public Integer call() throws IOException {
    ReportService.Report r = write(results, out, baselines);
    spec.commandLine().getOut().println("report: " + r.markdown() + " and " + r.html());
    spec.commandLine().getOut().flush();
    return 0;
  }

  static ReportService.Report write(List<Path> results, Path out, List<Path> baselines) throws IOException {
    return baselines == null || baselines.isEmpty()
        ? ReportService.report(results, out)
        : ReportService.report(results, out, Baselines.loadReferencePoints(baselines));
  }
}
