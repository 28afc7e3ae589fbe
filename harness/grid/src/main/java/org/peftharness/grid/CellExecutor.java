package org.peftharness.grid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Trains one cell from a freshly loaded base model (or restores its stored training) and runs its evaluations. */
@FunctionalInterface
public interface CellExecutor {
  /**
   * @param evaluations the evaluations still to run, in the cell's order (all of them on a first run)
   * @param cellDir the cell's folder (see {@link CellLayout}); a training stored there is reused
   * @param cancelled polled between steps; once true the executor throws {@link CellCancelledException}
   * @param done hears each evaluation as it ends, so a kill later loses none that finished
   * @throws CellFailedException for a training that ended badly in a known way (non-finite loss, ...);
   *     every evaluation not yet handed to {@code done} fails with it
   */
  void run(Cell cell, List<Evaluation> evaluations, Path cellDir, BooleanSupplier cancelled, CellProgress progress,
      EvaluationSink done) throws Exception;

  /** Where finished evaluations go. */
  interface EvaluationSink {
    void evaluated(Evaluation evaluation, CellResult result) throws IOException;

    /** An evaluation that could not run (its data unreadable, ...) while the cell's training is fine. */
    void failed(Evaluation evaluation, String reason) throws IOException;
  }

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
