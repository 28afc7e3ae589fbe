package org.peftharness.reports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;

/**
 * The finished evaluations of held-out validation examples ({@link ResultRow#isValidation()}),
 * by cell. They choose among configurations and are never a reported score. Every table of a
 * task chooses by the same score, the cell's primary one: the first metric its validation rows
 * record (the task's first), as {@code select: validation} chose the epoch and {@code tune:} the
 * learning rate, so a task's accuracy and F1 tables show one chosen configuration. A cell's
 * validation examples come from its training data, so they are found by the cell, not by task.
 */
final class ValidationScores {
  private final Map<String, ResultRow> primary = new HashMap<>();

  ValidationScores(List<LoadedRow> loaded) {
    for (LoadedRow lr : loaded) {
      ResultRow r = lr.row();
      if (r.isValidation() && r.status() == CellStatus.OK && r.metric() != null && r.value() != null) {
        primary.putIfAbsent(r.cellId(), r);
      }
    }
  }

  /** The cell's primary validation row, or null when the cell has none; every table of the cell's task reads the same one. */
  ResultRow of(String cellId) {
    return primary.get(cellId);
  }
}
