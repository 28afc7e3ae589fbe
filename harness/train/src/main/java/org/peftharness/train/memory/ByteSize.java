package org.peftharness.train.memory;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as people write them: {@code 80GiB}, {@code 24GB}, {@code 512MiB}, {@code 1.5TiB},
 * or a plain number of bytes. Binary units (KiB, MiB, GiB, TiB) are powers of 1024, decimal ones
 * (KB, MB, GB, TB) powers of 1000, as the IEC and SI prefixes define them; a GPU sold as "80 GB"
 * (an A100 or H100) holds 80 GiB.
 */
public final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

  private ByteSize() {}

  /** @throws IllegalArgumentException naming what is accepted, when {@code text} is not a size */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a memory size; write e.g. 80GiB, 24GB, 512MiB or a number of bytes");
    }
    double value = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    double scale = switch (unit) {
      case "B" -> 1;
      case "KB" -> 1e3;
      case "MB" -> 1e6;
      case "GB" -> 1e9;
      case "TB" -> 1e12;
      case "KIB" -> 1L << 10;
      case "MIB" -> 1L << 20;
      case "GIB" -> 1L << 30;
      case "TIB" -> 1L << 40;
      default -> throw new IllegalStateException(unit);
    };
    double bytes = value * scale;
    if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("'" + text + "' is not a usable memory size (must be at least one byte)");
    }
    return (long) bytes;
  }

  /** Binary units with one decimal, e.g. {@code 27.0 GiB}, {@code 512.0 MiB}. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
