package org.peftharness.tasks.score;

/**
 * One number of a scoring run.
 *
 * @param protocol the answer-extraction protocol ({@code glue-label} / {@code glue-score} for
 *     encoder tasks, whose predictions need no extraction)
 * @param metric e.g. {@code accuracy}, {@code mcc}, {@code f1}, {@code pearson}, {@code spearman}
 * @param count number of examples the value is over
 */
public record ScoreResult(
    String task,
    int taskVersion,
    String protocol,
    int protocolVersion,
    String metric,
    String aggregation,
    boolean higherIsBetter,
    double value,
    int count) {

  /** {@code protocol@vN/metric}, a stable key for results tables. */
  public String key() {
    return protocol + "@v" + protocolVersion + "/" + metric;
  }
}
