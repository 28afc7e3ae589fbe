package org.peftharness.tasks.score;

/**
 * A named, versioned rule that turns one generated output into a verdict against a gold answer.
 * The version changes whenever the rule's results could change; results carry name and version,
 * so a score is never compared with one taken under a different rule.
 */
public interface Protocol {
  String name();

  int version();

  /** One line for {@code harness ls tasks} and reports: whose rule this is. */
  String description();

  Verdict judge(String output, String goldAnswer);
}
