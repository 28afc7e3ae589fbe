package org.peftharness.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Closest known names to a misspelt one, by Levenshtein distance (case-insensitive). */
public final class DidYouMean {
  private DidYouMean() {}

  /**
   * The known names at the smallest distance (if that distance is plausible for a typo), then
   * those the input is a prefix of ({@code mnli} for {@code mnli-m}); at most three.
   */
  public static List<String> closest(String wrong, Collection<String> known) {
    String w = wrong.toLowerCase(Locale.ROOT);
    int best = Integer.MAX_VALUE;
    List<String> out = new ArrayList<>();
    for (String k : known) {
      int d = distance(w, k.toLowerCase(Locale.ROOT));
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best) {
        out.add(k);
      }
    }
    int limit = Math.max(2, (w.length() + 1) / 2);
    List<String> picked = new ArrayList<>(best <= limit ? out : List.of());
    if (!w.isEmpty()) {
      for (String k : known) {
        if (k.toLowerCase(Locale.ROOT).startsWith(w) && !picked.contains(k)) {
          picked.add(k);
        }
      }
    }
    return picked.size() > 3 ? List.copyOf(picked.subList(0, 3)) : picked;
  }

  /** "; did you mean 'x' or 'y'?" or "; known: a, b, c". */
  public static String hint(String wrong, Collection<String> known) {
    List<String> c = closest(wrong, known);
    if (c.isEmpty()) {
      return "; known: " + String.join(", ", known);
    }
    StringBuilder sb = new StringBuilder("; did you mean ");
    for (int i = 0; i < c.size(); i++) {
      if (i > 0) {
        sb.append(i == c.size() - 1 ? " or " : ", ");
      }
      sb.append('\'').append(c.get(i)).append('\'');
    }
    return sb.append('?').toString();
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

  /** Same as {@link #hint}: the suffix for an error message about an unknown name. */
  public static String suggest(String wrong, Collection<String> known) {
    return hint(wrong, known);
  }
}
