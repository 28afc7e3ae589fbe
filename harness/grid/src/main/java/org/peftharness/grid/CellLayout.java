package org.peftharness.grid;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of a cell's folder ({@code cells/<id>/}): the training's record and log at the top
 * ({@code provenance.json}, {@code metrics.jsonl}, {@code adapter/}), the trained variables in
 * {@code trained/}, one folder per evaluated task under {@code eval/}, and the evaluation of the
 * held-out validation examples under {@code validation/}.
 */
public final class CellLayout {
  /** The trained variables and what the training measured; its marker file is written last. */
  public static final String TRAINED = "trained";
  /** Present once the training is stored whole: an evaluation can then start without training. */
  public static final String TRAINED_MARKER = "training.json";
  public static final String EVAL = "eval";
  public static final String VALIDATION = "validation";

  private CellLayout() {}

  public static Path trainedDir(Path cellDir) {
    return cellDir.resolve(TRAINED);
  }

  public static boolean hasStoredTraining(Path cellDir) {
    return Files.isRegularFile(trainedDir(cellDir).resolve(TRAINED_MARKER));
  }

  /** An evaluation's folder: generations.jsonl, verdicts.jsonl and evaluation.json. */
  public static Path evalDir(Path cellDir, String task) {
    return cellDir.resolve(EVAL).resolve(task);
  }

  /** The folder of one of the cell's evaluations: under {@code validation/} for held-out validation examples. */
  public static Path evalDir(Path cellDir, Evaluation e) {
    return cellDir.resolve(e.isValidation() ? VALIDATION : EVAL).resolve(e.task());
  }
}
