package org.peftharness.tasks.spec;

/** What the model is asked to produce, which decides the head and the scoring path. */
public enum TaskKind {
  /** An encoder with a classification head; predictions are label indices or names. */
  CLASSIFICATION,
  /** An encoder with a one-output regression head (STS-B); predictions are numbers. */
  REGRESSION,
  /** A decoder generates text; named protocols extract and judge the answer. */
  GENERATION
}
