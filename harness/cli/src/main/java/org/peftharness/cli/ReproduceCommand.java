package org.peftharness.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.peftharness.cell.CellRecord;
import org.peftharness.cell.Reproduction;
import org.peftharness.core.ExitCode;
import org.peftharness.core.files.OutputLocations;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.ProvenanceDiff;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness reproduce CELL_DIR}: run a cell again from its provenance and diff the result. */
@Command(name = "reproduce",
    description = {"Rebuild a cell from its provenance.json, run it again, and print the differences in its metrics "
        + "and in the recorded facts (versions, hardware, data hashes, seeds).",
        "Exit 1 if a metric differs."})
final class ReproduceCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "CELL_DIR", description = "RESULTS_DIR/cells/<id>") Path cellDir;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default: the one recorded).") Path dataDir;

  @Option(names = "--model-path", paramLabel = "DIR", description = "Model folder (default: the one recorded).") Path modelPath;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the new run writes (default: CELL_DIR/../../reproduce/<id>).") Path out;

  @Override
  protected ExitCode execute() throws Exception {
    CellRecord rec = CellRecord.read(cellDir);
    if (!rec.cell().id().equals(rec.recordedId())) {
      out().println("note: the recorded configuration hashes to " + rec.cell().id().substring(0, 12) + ", not to the recorded id "
          + rec.recordedId().substring(0, Math.min(12, rec.recordedId().length())) + " (the cell was written by another version)");
    }
    Path dir = out != null ? out : Reproduction.defaultDir(cellDir, rec);
    OutputLocations.requireFolder(dir, out != null ? "argument --out" : "reproduction folder (default of --out)");
    out().println("running " + rec.cell().label() + " again into " + dir);
    out().flush();
    Reproduction.Result r = Reproduction.run(rec, cellDir, dataDir, modelPath, dir, BuildInfo.current(TensorFlow.version()));
    out().printf(Locale.ROOT, "%-36s %12s %12s %12s%n", "metric", "recorded", "now", "delta");
    for (Reproduction.MetricDelta m : r.metrics()) {
      out().printf(Locale.ROOT, "%-36s %12s %12s %12s%n", m.key(), number(m.recorded()), number(m.now()),
          m.recorded() == null ? "new" : m.now() == null ? "gone" : String.format(Locale.ROOT, "%+.2e", m.now() - m.recorded()));
    }
    out().println("provenance facts that differ (times left out):");
    for (ProvenanceDiff.Change c : r.facts()) {
      out().printf(Locale.ROOT, "  %s: %s -> %s%n", c.fact(), c.before(), c.after());
    }
    if (r.facts().isEmpty()) {
      out().println("  none");
    }
    out().println(r.metricsDiffer() ? "metrics DIFFER" : "metrics identical, bit for bit");
    return r.metricsDiffer() ? ExitCode.CHECK_FAILED : ExitCode.OK;
  }

  private static String number(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.6f", v);
  }
}
