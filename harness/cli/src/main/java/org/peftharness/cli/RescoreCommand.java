package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.peftharness.cell.Rescoring;
import org.peftharness.core.ExitCode;
import org.peftharness.results.ResultsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code harness rescore RESULTS_DIR}: score the stored generations again with the current
 * protocols, adding rows for protocol versions not yet in the results; existing rows stay as they are.
 */
@Command(name = "rescore",
    description = {"Score every finished cell's stored generations with the current protocols and add rows under "
        + "protocol versions the results do not have yet.",
        "Existing rows are never changed."})
final class RescoreCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "RESULTS_DIR") Path results;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default: the one each cell recorded).") Path dataDir;

  @Override
  protected ExitCode execute() throws IOException {
    int added = Rescoring.rescore(results, dataDir, (cell, n) -> out().printf("%s: %d new row(s)%n", cell, n));
    out().println(added == 0 ? "nothing to add: every protocol version is already scored"
        : added + " row(s) added to " + new ResultsFolder(results).resultsCsv());
    return ExitCode.OK;
  }
}
