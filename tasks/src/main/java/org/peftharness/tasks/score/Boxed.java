package org.peftharness.tasks.score;

/**
 * The last {@code \boxed{...}} of a text, as Hendrycks' {@code last_boxed_only_string} and
 * {@code remove_boxed} take it: braces are matched by counting, so {@code \boxed{\frac{1}{2}}}
 * yields {@code \frac{1}{2}}. Also accepted, as the MATH solutions and lm-eval do: {@code \fbox{..}}
 * and the brace-less form {@code \boxed 5} (up to the next {@code $}).
 */
public final class Boxed {
  private Boxed() {}

  /** The content of the last box, or null when there is none or its braces do not close. */
  public static String lastBoxedContent(String text) {
    if (text == null) {
      return null;
    }
    int idx = text.lastIndexOf("\\boxed");
    String command = "\\boxed";
    if (idx < 0) {
      idx = text.lastIndexOf("\\fbox");
      command = "\\fbox";
      if (idx < 0) {
        return null;
      }
    }
    int after = idx + command.length();
    if (command.equals("\\boxed") && after < text.length() && text.charAt(after) == ' ') {
      // "\boxed 5$": lm-eval's form without braces; the answer runs to the next '$'
      String rest = text.substring(after + 1);
      int dollar = rest.indexOf('$');
      return (dollar < 0 ? rest : rest.substring(0, dollar)).strip();
    }
    int depth = 0;
    int open = -1;
    for (int i = idx; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        if (depth == 0) {
          open = i;
        }
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          // remove_boxed requires the box to start with "\boxed{" right away
          if (open != after) {
            return null;
          }
          return text.substring(open + 1, i);
        }
      }
    }
    return null;
  }
}
