package org.peftharness.cli;

/** A run ended in a state the user must look at (exit code 3), not a bug and not bad input. */
public final class RunFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunFailedException(String message) {
    super(message);
  }
}
