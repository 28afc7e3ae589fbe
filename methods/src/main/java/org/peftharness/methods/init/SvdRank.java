package org.peftharness.methods.init;

import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.options.AdapterOptions;

/** The shape limit of an SVD initialisation: it takes {@code k} singular triplets of an m×n matrix, so k ≤ min(m, n). */
public final class SvdRank {
  private SvdRank() {}

  /** An input error on {@code rank} naming the module when its m×n matrix cannot hold rank r. */
  public static void check(String method, int rank, String module, long m, long n) {
    long min = Math.min(m, n);
    if (rank > min) {
      throw new InvalidInputException((String) null, 0, AdapterOptions.RANK.key(), method + " needs rank <= min(m, n), but "
          + module + " (" + m + "x" + n + ") has min(m, n) = " + min + " < rank " + rank);
    }
  }
}
