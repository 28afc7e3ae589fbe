package org.peftharness.tasks.score;

/**
 * What a protocol made of one output.
 *
 * @param correct whether the extracted answer matches the gold one under the protocol's rule
 * @param extracted the answer the protocol extracted, or null when it found none
 */
public record Verdict(boolean correct, String extracted) {
  public static Verdict noAnswer() {
    return new Verdict(false, null);
  }
}
