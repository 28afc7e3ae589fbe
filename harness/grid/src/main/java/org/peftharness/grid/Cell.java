package org.peftharness.grid;

import java.util.List;
import java.util.Map;

/**
 * One training run and the evaluations of what it trained. {@code id} is the SHA-256 of
 * {@code canonicalJson}, the training's fully resolved configuration (model, method, training
 * data, seed, training settings), so the same training has the same id in any grid, whichever
 * tasks it is evaluated on.
 *
 * @param trainOn what it trains on: a task's name (that task's training split) or a training set
 *     with its slice, e.g. {@code metamathqa[:50000]}
 * @param evaluations the tasks it is evaluated on, in the grid's task order; in the common case
 *     one: the task it trained on
 */
public record Cell(int index, String id, String model, String method, Integer rank, String trainOn, long seed,
    Map<String, Object> config, String canonicalJson, List<Evaluation> evaluations) {

  public Cell {
    evaluations = List.copyOf(evaluations);
  }

  /** A short human label, e.g. {@code minilm/lora r8/sst2/seed 1} or {@code llama/lora r8/metamathqa[:50000]/seed 1}. */
  public String label() {
    return model + "/" + method + (rank == null ? "" : " r" + rank) + "/" + trainOn + "/seed " + seed;
  }

  /** The label of one evaluation: the cell's, plus the task when the cell has several or trains on something else. */
  public String label(Evaluation e) {
    return trainsOnItsOnlyTask() ? label() : label() + " -> " + e.task();
  }

  /** The common case: one evaluation, of the task whose training split the cell trains on. */
  public boolean trainsOnItsOnlyTask() {
    return evaluations.size() == 1 && evaluations.get(0).task().equals(trainOn);
  }

  /** The evaluation with this id, or null. */
  public Evaluation evaluation(String evalId) {
    return evaluations.stream().filter(e -> e.id().equals(evalId)).findFirst().orElse(null);
  }
}
