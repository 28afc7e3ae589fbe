package org.peftharness.model;

import org.peftharness.core.InvalidInputException;

/**
 * A config's {@code sliding_window}: the model was trained to attend only to the last
 * {@code tokens} positions (transformers masking_utils.py sliding_window_overlay:
 * {@code kv_idx > q_idx - sliding_window}). The graphs build full causal attention, which equals
 * the windowed one while no sequence is longer than the window, so the harness holds every
 * sequence to that length instead of answering differently from the model: a grid whose
 * {@code max_length} exceeds it is refused when it is validated, and a graph fed a longer
 * sequence (a generation prompt, whose length only tokenizing tells) stops with this message.
 *
 * @param source the config.json the setting came from, and its line, for messages
 */
public record SlidingWindow(int tokens, String source, int line) {

  /** What the setting means, located, for a refusal. */
  public String describe() {
    return source + ":" + line + ": sliding_window: the model attends within " + tokens
        + " tokens, and the harness builds no sliding-window mask, so sequences must not be longer";
  }

  /** Refuses a configured sequence length the window does not cover, naming both. */
  public void check(int length, String what) {
    if (length > tokens) {
      throw new InvalidInputException(source, line, "sliding_window", "the model attends within " + tokens
          + " tokens, but " + what + " is " + length + "; the harness builds no sliding-window mask, so lower "
          + what + " to at most " + tokens);
    }
  }
}
