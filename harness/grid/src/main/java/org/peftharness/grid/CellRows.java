package org.peftharness.grid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;

/**
 * The results.csv rows of one evaluation of a cell: one per metric when it ran, a single row with
 * its reason when it did not. {@code wall_s} is the time the cell had run in this process when the
 * evaluation ended (the training included when it trained here).
 */
public record CellRows(String grid, String harnessVersion, String gitCommit) {
  public List<ResultRow> ok(Cell c, Evaluation e, CellResult r, Instant start, Instant end) {
    List<ResultRow> rows = new ArrayList<>();
    for (CellResult.Metric m : r.metrics()) {
      rows.add(new ResultRow(grid, c.id(), c.index(), c.model(), c.method(), c.rank(), e.task(), c.seed(), CellStatus.OK,
          m.metric(), m.protocol(), m.protocolVersion(), m.value(), m.n(), m.higherIsBetter(), r.trainableParams(),
          r.totalParams(), r.tokensPerSecond(), seconds(start, end), start.toString(), end.toString(), harnessVersion,
          gitCommit, null, c.trainOn(), e.id(), c.sweepText(), e.split(), c.selection(), precision(c, e)));
    }
    return rows;
  }

  public ResultRow ended(Cell c, Evaluation e, CellStatus status, String reason, Instant start, Instant end) {
    return new ResultRow(grid, c.id(), c.index(), c.model(), c.method(), c.rank(), e.task(), c.seed(), status, null, null,
        null, null, null, null, null, null, null, seconds(start, end), start.toString(), end.toString(), harnessVersion,
        gitCommit, reason, c.trainOn(), e.id(), c.sweepText(), e.split(), c.selection(), precision(c, e));
  }

  /** The precision the evaluation ran in: its {@code eval.precision}, as trained by default. */
  @SuppressWarnings("unchecked")
  public static String precision(Cell c, Evaluation e) {
    Map<String, Object> train = (Map<String, Object>) c.config().get("train");
    Map<String, Object> eval = (Map<String, Object>) e.config().get("eval");
    return EvalSection.of(eval == null ? Map.of() : eval).precision(TrainSection.of(train == null ? Map.of() : train)).label();
  }

  static double seconds(Instant a, Instant b) {
    return (b.toEpochMilli() - a.toEpochMilli()) / 1000.0;
  }
}
