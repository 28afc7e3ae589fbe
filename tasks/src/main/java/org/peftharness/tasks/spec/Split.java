package org.peftharness.tasks.spec;

/** The two files a task names. */
public enum Split {
  TRAIN("train"),
  EVAL("eval");

  private final String key;

  Split(String key) {
    this.key = key;
  }

  /** The key under {@code files:} in a task file. */
  public String key() {
    return key;
  }
}
