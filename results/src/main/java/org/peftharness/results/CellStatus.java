package org.peftharness.results;

/** How a cell ended. A cancelled cell is run again on resume; a failed one is kept, with its reason. */
public enum CellStatus {
  OK,
  FAILED,
  CANCELLED;

  /** Whether a resumed grid skips a cell that ended this way. */
  public boolean isFinal() {
    return this != CANCELLED;
  }
}
