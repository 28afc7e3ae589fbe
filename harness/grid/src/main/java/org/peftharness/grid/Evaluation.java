package org.peftharness.grid;

import java.util.Map;
import org.peftharness.results.ResultRow;

/**
 * One evaluation of a cell's trained model on one task. {@code id} is the SHA-256 of
 * {@code canonicalJson}: the cell's id, the task and its version, and the {@code eval:} settings,
 * so adding a task to a grid adds evaluations to the cells that already trained, and changing an
 * evaluation setting evaluates again without training again. An evaluation of the validation
 * examples the cell held out of its training data ({@code train.validation_size}) has
 * {@code split: validation} in its configuration; every other one evaluates the task's reported split.
 *
 * @param index the evaluation's position in its cell (the grid's task order)
 */
public record Evaluation(int index, String id, String task, Map<String, Object> config, String canonicalJson) {
  /** The configuration key that marks an evaluation of held-out validation examples. */
  public static final String SPLIT = "split";

  /** {@link ResultRow#VALIDATION} for held-out validation examples, empty for the task's reported split. */
  public String split() {
    Object s = config.get(SPLIT);
    return s == null ? "" : s.toString();
  }

  public boolean isValidation() {
    return ResultRow.VALIDATION.equals(split());
  }

  /** The task, with "(validation)" after it for held-out validation examples. */
  public String label() {
    return isValidation() ? task + " (validation)" : task;
  }
}
