package org.peftharness.grid;

import java.util.Collections;
import java.util.LinkedHashMap;
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
 * @param sweep the cell's point of the grid's sweeps, by setting in the order written
 *     ({@code lr=0.001}); empty when the grid sweeps nothing
 */
public record Cell(int index, String id, String model, String method, Integer rank, String trainOn, long seed,
    Map<String, Object> config, String canonicalJson, List<Evaluation> evaluations, Map<String, String> sweep) {

  public Cell {
    evaluations = List.copyOf(evaluations);
    sweep = Collections.unmodifiableMap(new LinkedHashMap<>(sweep));
  }

  /** A cell of a grid that sweeps nothing. */
  public Cell(int index, String id, String model, String method, Integer rank, String trainOn, long seed,
      Map<String, Object> config, String canonicalJson, List<Evaluation> evaluations) {
    this(index, id, model, method, rank, trainOn, seed, config, canonicalJson, evaluations, Map.of());
  }

  /**
   * A short human label, e.g. {@code minilm/lora r8/sst2/seed 1}, {@code llama/lora r8/metamathqa[:50000]/seed 1}
   * or, in a sweep, {@code minilm/lora r8 lr=0.001/sst2/seed 1}.
   */
  public String label() {
    return model + "/" + method + (rank == null ? "" : " r" + rank) + (sweep.isEmpty() ? "" : " " + sweepText()) + "/"
        + trainOn + "/seed " + seed;
  }

  /** The sweep point as rows record it: {@code alpha=16 lr=0.001}; empty when the grid sweeps nothing. */
  public String sweepText() {
    StringBuilder sb = new StringBuilder();
    sweep.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return sb.toString();
  }

  /** The label of one evaluation: the cell's, plus the task when the cell has several or trains on something else. */
  public String label(Evaluation e) {
    return trainsOnItsOnlyTask() && !e.isValidation() ? label() : label() + " -> " + e.label();
  }

  /** The common case: one reported evaluation, of the task whose training split the cell trains on. */
  public boolean trainsOnItsOnlyTask() {
    List<Evaluation> reported = reported();
    return reported.size() == 1 && reported.get(0).task().equals(trainOn);
  }

  /** The evaluations of tasks' reported splits, without the one of held-out validation examples. */
  public List<Evaluation> reported() {
    return evaluations.stream().filter(e -> !e.isValidation()).toList();
  }

  /** The evaluation of the validation examples the cell holds out of its training data, or null. */
  public Evaluation validation() {
    return evaluations.stream().filter(Evaluation::isValidation).findFirst().orElse(null);
  }

  /** How the cell chooses the model it reports ({@code train.select}: last, best or validation). */
  @SuppressWarnings("unchecked")
  public String selection() {
    Object train = config.get("train");
    Object select = train instanceof Map<?, ?> m ? ((Map<String, Object>) m).get("select") : null;
    return select == null ? "" : select.toString();
  }

  /** The evaluation with this id, or null. */
  public Evaluation evaluation(String evalId) {
    return evaluations.stream().filter(e -> e.id().equals(evalId)).findFirst().orElse(null);
  }
}
