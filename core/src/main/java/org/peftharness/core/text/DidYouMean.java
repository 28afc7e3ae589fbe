package org.peftharness.core.text;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "did you mean" suggestions by edit distance, for unknown task names and keys. */
public final class DidYouMean {
  private DidYouMean() {}

  /** Up to three known names closest to {@code wrong} (by Levenshtein distance, then name). */
  public static List<String> closest(String wrong, Collection<String> known) {
    String w = wrong.toLowerCase(Locale.ROOT);
    return known.stream()
        .sorted(Comparator.<String>comparingInt(k -> distance(w, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
        .limit(3)
        .toList();
  }

  /** "; did you mean a, b or c?" or an empty string when nothing is known. */
  public static String suggest(String wrong, Collection<String> known) {
    List<String> c = closest(wrong, known);
    return c.isEmpty() ? "" : "; did you mean " + String.join(", ", c) + "?";
  }

  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
