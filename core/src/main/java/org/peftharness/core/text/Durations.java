package org.peftharness.core.text;

import java.util.Locale;

/** Durations as people read them on a console: {@code 4.2 s}, {@code 3:07}, {@code 1:02:03}. */
public final class Durations {
  private Durations() {}

  public static String format(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
