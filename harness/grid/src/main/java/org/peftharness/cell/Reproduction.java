package org.peftharness.cell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.grid.CellExecutor;
import org.peftharness.grid.CellProgress;
import org.peftharness.grid.CellResult;
import org.peftharness.grid.Evaluation;
import org.peftharness.model.PretrainedModel;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.ProvenanceDiff;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.tasks.spec.TaskRegistry;

/**
 * {@code harness reproduce}: a recorded cell run again from its provenance alone (data and model
 * folders as recorded unless given), then its metrics and recorded facts compared with the record.
 */
public final class Reproduction {
  /** One metric, keyed {@code task: protocol@vN/metric}; null where one side has none. */
  public record MetricDelta(String key, Double recorded, Double now) {
    public boolean differs() {
      return recorded == null || now == null || Double.compare(recorded, now) != 0;
    }
  }

  public record Result(List<MetricDelta> metrics, List<ProvenanceDiff.Change> facts) {
    /** Bit for bit: a metric that moved by one ulp differs. */
    public boolean metricsDiffer() {
      return metrics.stream().anyMatch(MetricDelta::differs);
    }
  }

  private Reproduction() {}

  /** Where the run goes unless told: {@code RESULTS_DIR/reproduce/<id>} beside {@code cells/}. */
  public static Path defaultDir(Path cellDir, CellRecord rec) {
    return cellDir.toAbsolutePath().getParent().getParent().resolve("reproduce").resolve(rec.cell().id());
  }

  /**
   * @param dataDir the data folder, or null for the recorded one
   * @param modelPath the model folder, or null for the recorded one
   */
  public static Result run(CellRecord rec, Path cellDir, Path dataDir, Path modelPath, Path dir, BuildInfo build) throws Exception {
    Path data = dataDir != null ? dataDir : rec.dataDir();
    String recordedModel = rec.provenance().observed().inputs().modelPath();
    Path model = modelPath != null ? modelPath
        : recordedModel == null || recordedModel.equals(PretrainedModel.MINILM) ? null : Path.of(recordedModel);
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
    Map<String, Double> now = new LinkedHashMap<>();
    try (TrainingCellExecutor executor = new TrainingCellExecutor(ctx, TaskRegistry.builtin(), build)) {
      executor.run(rec.cell(), rec.cell().evaluations(), dir, () -> false,
          CellProgress.NONE, new CellExecutor.EvaluationSink() {
            @Override
            public void evaluated(Evaluation e, CellResult r) {
              r.metrics().forEach(m -> now.put(key(e.task(), m.protocol(), m.protocolVersion(), m.metric()), m.value()));
            }

            @Override
            public void failed(Evaluation e, String reason) {
              throw new CellExecutor.CellFailedException(e.task() + ": " + reason);
            }
          });
    }
    return new Result(compare(recorded(cellDir), now), ProvenanceDiff.between(rec.provenance(), ProvenanceIO.read(dir.resolve(ProvenanceIO.FILE))));
  }

  private static String key(String task, String protocol, Integer version, String metric) {
    return task + ": " + protocol + "@v" + version + "/" + metric;
  }

  private static Map<String, Double> recorded(Path cellDir) throws IOException {
    Map<String, Double> before = new TreeMap<>();
    for (ResultRow row : ResultsCsv.read(cellDir.resolve("rows.csv"))) {
      if (row.status() == CellStatus.OK) {
        before.put(key(row.task(), row.protocol(), row.protocolVersion(), row.metric()), row.value());
      }
    }
    return before;
  }

  private static List<MetricDelta> compare(Map<String, Double> before, Map<String, Double> now) {
    List<MetricDelta> out = new ArrayList<>();
    now.forEach((key, value) -> out.add(new MetricDelta(key, before.remove(key), value)));
    before.forEach((key, was) -> out.add(new MetricDelta(key, was, null)));
    return out;
  }
}
