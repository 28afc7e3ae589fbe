package org.peftharness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.peftharness.ci.check.CheckOptions;
import org.peftharness.ci.check.CheckResult;
import org.peftharness.ci.check.CheckService;
import org.peftharness.core.ExitCode;
import org.peftharness.core.files.OutputLocations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness check}: results against baseline files; exit 1 on any regression. */
@Command(name = "check",
    description = {"Compare results with baseline files (expected values with tolerances or noise bands).",
        "Prints pass / fail / improved / missing per entry, with the rule that judged it; exit 1 on any regression, "
            + "2 on invalid input.",
        "Rules: 'tolerance' fails a drop larger than the entry's fixed tolerance; 'noise' fails a drop that the noise "
            + "does not explain at the confidence level: the measured cells' example-level standard error (binomial for "
            + "accuracy, bootstrap over the stored verdicts for f1/mcc/pearson/spearman) combined with the seed spread "
            + "and the baseline's own std/seeds/n (an accuracy whose verdicts are missing falls back to the binomial SE of "
            + "its row's value and n, and says so). Each entry uses its 'rule:' (default tolerance) unless --rule is given."})
final class CheckCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "RESULTS_DIR") Path results;

  @Option(names = "--baselines", required = true, split = ",", arity = "1..*", paramLabel = "FILE") List<Path> baselines;

  @Option(names = "--rule", paramLabel = "noise|tolerance",
      description = "Judge every entry by this rule; default: each entry's own 'rule:' (tolerance when it names none).")
  String rule;

  @Option(names = "--confidence", paramLabel = "LEVEL",
      description = "Two-sided confidence level of the noise rule, 0.5 to 0.9999; default 0.95.")
  String confidence;

  @Option(names = "--junit", paramLabel = "OUT.xml", description = "Also write JUnit XML for CI systems.") Path junit;

  @Override
  protected ExitCode execute() throws IOException {
    if (junit != null) {
      OutputLocations.requireFile(junit, "argument --junit");
    }
    CheckResult r = CheckService.check(results, baselines, CheckOptions.parse(rule, confidence));
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
