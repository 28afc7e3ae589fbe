package org.peftharness.reports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.reports.ReportModel.TableKey;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;

/**
 * The finished evaluations of held-out validation examples ({@link ResultRow#isValidation()}),
 * by cell and metric. They choose among configurations and are never a reported score. A cell's
 * validation examples come from its training data, so a cell trained on a mix has them from the
 * mix, under another task name than the task it reports: they are found by the cell and the
 * table's metric and protocol, not by task.
 */
final class ValidationScores {
  private record Key(String cellId, String metric, String protocol, Integer protocolVersion) {}

  private final Map<Key, ResultRow> rows = new HashMap<>();

  ValidationScores(List<LoadedRow> loaded) {
    for (LoadedRow lr : loaded) {
      ResultRow r = lr.row();
      if (r.isValidation() && r.status() == CellStatus.OK && r.metric() != null && r.value() != null) {
        rows.putIfAbsent(new Key(r.cellId(), r.metric(), r.protocol(), r.protocolVersion()), r);
      }
    }
  }

  /** The validation row of the cell in the table's metric and protocol, or null when the cell has none. */
  ResultRow of(String cellId, TableKey key) {
    return rows.get(new Key(cellId, key.metric(), key.protocol(), key.protocolVersion()));
  }
}
