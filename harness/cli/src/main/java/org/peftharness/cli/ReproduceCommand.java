package org.peftharness.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.peftharness.cell.CellRecord;
import org.peftharness.cell.TrainingCellExecutor;
import org.peftharness.grid.CellProgress;
import org.peftharness.grid.CellResult;
import org.peftharness.model.PretrainedModel;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.ProvenanceDiff;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.tasks.spec.TaskRegistry;
import org.tensorflow.TensorFlow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code harness reproduce CELL_DIR}: run a cell again from its provenance and diff the result. */
@Command(name = "reproduce",
    description = {"Rebuild a cell from its provenance.json, run it again, and print the differences in its metrics "
        + "and in the recorded facts (versions, hardware, data hashes, seeds).",
        "Exit 1 if a metric differs."})
final class ReproduceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CELL_DIR", description = "RESULTS_DIR/cells/<id>") Path cellDir;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default: the one recorded).") Path dataDir;

  @Option(names = "--model-path", paramLabel = "DIR", description = "Model folder (default: the one recorded).") Path modelPath;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the new run writes (default: CELL_DIR/../../reproduce/<id>).") Path out;

  @Override
  public Integer call() throws Exception {
    CellRecord rec = CellRecord.read(cellDir);
    PrintWriter o = spec.commandLine().getOut();
    if (!rec.cell().id().equals(rec.recordedId())) {
      o.println("note: the recorded configuration hashes to " + rec.cell().id().substring(0, 12) + ", not to the recorded id "
          + rec.recordedId().substring(0, Math.min(12, rec.recordedId().length())) + " (the cell was written by another version)");
    }
    Path data = dataDir != null ? dataDir : rec.dataDir();
    String recordedModel = rec.provenance().observed().inputs().modelPath();
    Path model = modelPath != null ? modelPath
        : recordedModel == null || recordedModel.equals(PretrainedModel.MINILM) ? null : Path.of(recordedModel);
    Path dir = out != null ? out : cellDir.toAbsolutePath().getParent().getParent().resolve("reproduce").resolve(rec.cell().id());
    Files.createDirectories(dir);
    String grid = rec.provenance().grid() == null ? "reproduce" : rec.provenance().grid();
    TrainingCellExecutor.Context ctx = new TrainingCellExecutor.Context() {
      @Override
      public String gridName() {
        return grid;
      }

      @Override
      public Path dataDir() {
        return data;
      }

      @Override
      public Path modelPath(String m) {
        return model;
      }
    };
    o.println("running " + rec.cell().label() + " again into " + dir);
    o.flush();
    CellResult r = new TrainingCellExecutor(ctx, TaskRegistry.builtin(), BuildInfo.current(TensorFlow.version()))
        .run(rec.cell(), dir, () -> false, CellProgress.NONE);

    Map<String, Double> before = new TreeMap<>();
    for (ResultRow row : ResultsCsv.read(cellDir.resolve("rows.csv"))) {
      if (row.status() == CellStatus.OK) {
        before.put(row.protocol() + "@v" + row.protocolVersion() + "/" + row.metric(), row.value());
      }
    }
    boolean differ = false;
    o.printf(Locale.ROOT, "%-36s %12s %12s %12s%n", "metric", "recorded", "now", "delta");
    for (CellResult.Metric m : r.metrics()) {
      String key = m.protocol() + "@v" + m.protocolVersion() + "/" + m.metric();
      Double was = before.remove(key);
      differ |= was == null || Double.compare(was, m.value()) != 0;
      o.printf(Locale.ROOT, "%-36s %12s %12.6f %12s%n", key, was == null ? "-" : String.format(Locale.ROOT, "%.6f", was),
          m.value(), was == null ? "new" : String.format(Locale.ROOT, "%+.2e", m.value() - was));
    }
    for (String gone : before.keySet()) {
      differ = true;
      o.printf(Locale.ROOT, "%-36s %12s %12s%n", gone, "recorded", "-");
    }
    List<ProvenanceDiff.Change> changes = ProvenanceDiff.between(rec.provenance(), ProvenanceIO.read(dir.resolve(ProvenanceIO.FILE)));
    o.println("provenance facts that differ (times left out):");
    for (ProvenanceDiff.Change c : changes) {
      o.printf(Locale.ROOT, "  %s: %s -> %s%n", c.fact(), c.before(), c.after());
    }
    if (changes.isEmpty()) {
      o.println("  none");
    }
    o.println(differ ? "metrics DIFFER" : "metrics identical, bit for bit");
    o.flush();
    return differ ? 1 : 0;
  }
}
