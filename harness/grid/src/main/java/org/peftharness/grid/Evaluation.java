package org.peftharness.grid;

import java.util.Map;

/**
 * One evaluation of a cell's trained model on one task. {@code id} is the SHA-256 of
 * {@code canonicalJson}: the cell's id, the task and its version, and the {@code eval:} settings,
 * so adding a task to a grid adds evaluations to the cells that already trained, and changing an
 * evaluation setting evaluates again without training again.
 *
 * @param index the evaluation's position in its cell (the grid's task order)
 */
public record Evaluation(int index, String id, String task, Map<String, Object> config, String canonicalJson) {}
