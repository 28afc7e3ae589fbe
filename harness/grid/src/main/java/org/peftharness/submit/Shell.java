package org.peftharness.submit;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting for the scripts the harness writes. */
final class Shell {
  private Shell() {}

  /** {@code text} as one shell word: left bare when it is plainly safe, else single-quoted. */
  static String quote(String text) {
    if (!text.isEmpty() && text.matches("[A-Za-z0-9_./,:=%@+-]+")) {
      return text;
    }
    return "'" + text.replace("'", "'\\''") + "'";
  }

  static String join(List<String> words) {
    return words.stream().map(Shell::quote).collect(Collectors.joining(" "));
  }
}
