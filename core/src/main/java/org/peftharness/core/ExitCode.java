package org.peftharness.core;

/** The process exit codes every command shares; scripts and CI depend on them. */
public enum ExitCode {
  OK(0),
  /** A check ran and found a regression. */
  CHECK_FAILED(1),
  /** The user's input (file, flag, grid) is invalid; the message names file, line and field. */
  INVALID_INPUT(2),
  /** A run failed in a way the user must look at (e.g. every cell failed). */
  RUN_FAILED(3),
  /** A bug in the harness. */
  INTERNAL_ERROR(4),
  /** Stopped by Ctrl-C or SIGTERM; the interrupted cells are recorded as cancelled (128 + SIGINT, as shells report it). */
  INTERRUPTED(130);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
