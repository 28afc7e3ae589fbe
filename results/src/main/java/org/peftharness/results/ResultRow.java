package org.peftharness.results;

/**
 * One row of {@code results.csv}: one evaluation of a cell x metric x protocol (tidy data). A cell
 * trains once ({@code train_on}) and is evaluated on one or more tasks ({@code task}), each
 * evaluation with its own id. An evaluation that failed or was cancelled has a single row with
 * empty metric and value and its reason. Columns listed in {@link ResultsCsv#HEADER};
 * {@link ResultsCsv#TIME_COLUMNS} vary between identical runs.
 *
 * @param trainOn what the cell trained on: a task's name (its training split) or a training set
 *     with its slice, e.g. {@code metamathqa[:50000]}
 * @param evalId the evaluation's id (SHA-256 of the cell id, the task and the evaluation
 *     settings); empty in rows written before evaluations had ids
 * @param sweep the cell's point of its grid's sweeps ({@code alpha=16 lr=0.001}); empty when the
 *     grid sweeps nothing
 * @param split {@link #VALIDATION} for the evaluation on the validation examples the cell held out
 *     of its training data, which chooses among configurations and is never reported as a score;
 *     empty for the task's reported (evaluation) split
 * @param selection how the cell chose the model it reports: {@code last} (the end of training),
 *     {@code best} (the best evaluation during training on the reported split itself: the papers'
 *     protocol, optimistic) or {@code validation} (the best on the held-out validation split);
 *     empty in rows written before the column
 * @param precision the number format the cell's model ran in, {@code fp32} or {@code bf16}; empty
 *     in rows written before the column (all of which ran in fp32)
 */
public record ResultRow(
    String grid,
    String cellId,
    int cellIndex,
    String model,
    String method,
    Integer rank,
    String task,
    long seed,
    CellStatus status,
    String metric,
    String protocol,
    Integer protocolVersion,
    Double value,
    Integer n,
    Boolean higherIsBetter,
    Long trainableParams,
    Long totalParams,
    Double tokensPerSecond,
    Double wallSeconds,
    String startedAt,
    String finishedAt,
    String harnessVersion,
    String gitCommit,
    String reason,
    String trainOn,
    String evalId,
    String sweep,
    String split,
    String selection,
    String precision) {

  /** The {@code split} of an evaluation on held-out validation examples. */
  public static final String VALIDATION = "validation";

  /** A row in the results.csv layout before {@code precision}. */
  public ResultRow(String grid, String cellId, int cellIndex, String model, String method, Integer rank, String task,
      long seed, CellStatus status, String metric, String protocol, Integer protocolVersion, Double value, Integer n,
      Boolean higherIsBetter, Long trainableParams, Long totalParams, Double tokensPerSecond, Double wallSeconds,
      String startedAt, String finishedAt, String harnessVersion, String gitCommit, String reason, String trainOn,
      String evalId, String sweep, String split, String selection) {
    this(grid, cellId, cellIndex, model, method, rank, task, seed, status, metric, protocol, protocolVersion, value, n,
        higherIsBetter, trainableParams, totalParams, tokensPerSecond, wallSeconds, startedAt, finishedAt, harnessVersion,
        gitCommit, reason, trainOn, evalId, sweep, split, selection, "");
  }

  /** A row in the results.csv layout before {@code split} and {@code selection}. */
  public ResultRow(String grid, String cellId, int cellIndex, String model, String method, Integer rank, String task,
      long seed, CellStatus status, String metric, String protocol, Integer protocolVersion, Double value, Integer n,
      Boolean higherIsBetter, Long trainableParams, Long totalParams, Double tokensPerSecond, Double wallSeconds,
      String startedAt, String finishedAt, String harnessVersion, String gitCommit, String reason, String trainOn,
      String evalId, String sweep) {
    this(grid, cellId, cellIndex, model, method, rank, task, seed, status, metric, protocol, protocolVersion, value, n,
        higherIsBetter, trainableParams, totalParams, tokensPerSecond, wallSeconds, startedAt, finishedAt, harnessVersion,
        gitCommit, reason, trainOn, evalId, sweep, "", "");
  }

  /** Whether this row scores held-out validation examples (model selection), not the reported split. */
  public boolean isValidation() {
    return VALIDATION.equals(split);
  }

  /** A row of a grid that sweeps nothing. */
  public ResultRow(String grid, String cellId, int cellIndex, String model, String method, Integer rank, String task,
      long seed, CellStatus status, String metric, String protocol, Integer protocolVersion, Double value, Integer n,
      Boolean higherIsBetter, Long trainableParams, Long totalParams, Double tokensPerSecond, Double wallSeconds,
      String startedAt, String finishedAt, String harnessVersion, String gitCommit, String reason, String trainOn,
      String evalId) {
    this(grid, cellId, cellIndex, model, method, rank, task, seed, status, metric, protocol, protocolVersion, value, n,
        higherIsBetter, trainableParams, totalParams, tokensPerSecond, wallSeconds, startedAt, finishedAt, harnessVersion,
        gitCommit, reason, trainOn, evalId, "");
  }

  /** A row of a cell that trained on its task's own training split and evaluated only that task, in the results.csv layout before {@code train_on}. */
  public ResultRow(String grid, String cellId, int cellIndex, String model, String method, Integer rank, String task,
      long seed, CellStatus status, String metric, String protocol, Integer protocolVersion, Double value, Integer n,
      Boolean higherIsBetter, Long trainableParams, Long totalParams, Double tokensPerSecond, Double wallSeconds,
      String startedAt, String finishedAt, String harnessVersion, String gitCommit, String reason) {
    this(grid, cellId, cellIndex, model, method, rank, task, seed, status, metric, protocol, protocolVersion, value, n,
        higherIsBetter, trainableParams, totalParams, tokensPerSecond, wallSeconds, startedAt, finishedAt, harnessVersion,
        gitCommit, reason, task, "", "");
  }
}
