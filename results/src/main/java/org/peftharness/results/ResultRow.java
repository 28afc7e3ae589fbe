package org.peftharness.results;

/**
 * One row of {@code results.csv}: one cell x metric x protocol (tidy data). A failed or cancelled
 * cell has a single row with empty metric and value and its reason. Columns listed in
 * {@link ResultsCsv#HEADER}; {@link ResultsCsv#TIME_COLUMNS} vary between identical runs.
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
    String reason) {}
