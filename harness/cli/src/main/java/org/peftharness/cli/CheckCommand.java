package org.peftharness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.peftharness.ci.check.CheckResult;
import org.peftharness.ci.check.CheckService;
import org.peftharness.core.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness check}: results against baseline files; exit 1 on any regression. */
@Command(name = "check",
    description = {"Compare results with baseline files (expected values with tolerances).",
        "Prints pass / fail / improved / missing per entry; exit 1 on any regression, 2 on invalid input."})
final class CheckCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RESULTS_DIR") Path results;

  @Option(names = "--baselines", required = true, split = ",", arity = "1..*", paramLabel = "FILE") List<Path> baselines;

  @Option(names = "--junit", paramLabel = "OUT.xml", description = "Also write JUnit XML for CI systems.") Path junit;

  @Override
  protected ExitCode execute() throws IOException {
    CheckResult r = CheckService.check(results, baselines);
    PrintWriter out = out();
    out.print(r.table());
    out.println(r.summary());
    if (junit != null) {
      r.writeJunitXml(junit);
      out.println("JUnit XML: " + junit);
    }
    return r.hasRegression() ? ExitCode.CHECK_FAILED : ExitCode.OK;
  }
}
