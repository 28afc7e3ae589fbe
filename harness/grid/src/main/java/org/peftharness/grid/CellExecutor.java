package org.peftharness.grid;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Runs one cell from a freshly loaded base model and returns its result rows. */
@FunctionalInterface
public interface CellExecutor {
  /**
   * @param cellDir where the cell writes provenance.json, metrics.jsonl, generations.jsonl
   * @param cancelled polled between steps; once true the executor throws {@link CellCancelledException}
   * @return the cell's metrics and measurements
   * @throws CellFailedException for a run that ended badly in a known way (non-finite loss, ...)
   */
  CellResult run(Cell cell, Path cellDir, BooleanSupplier cancelled, CellProgress progress) throws Exception;

  /** A cell stopped because the user interrupted the grid. */
  final class CellCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CellCancelledException() {
      super("interrupted by the user");
    }
  }

  /** A cell that ended badly in a known way; its message is the reason recorded. */
  final class CellFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CellFailedException(String reason) {
      super(reason);
    }
  }
}
