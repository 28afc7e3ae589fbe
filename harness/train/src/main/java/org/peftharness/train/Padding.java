package org.peftharness.train;

import java.util.Arrays;
import java.util.List;

/** Pads a batch of token sequences to its own longest sequence (not a fixed length). */
public final class Padding {
  private Padding() {}

  /** Padded ids and the matching attention mask (1 for real tokens). */
  public record Padded(int[][] ids, int[][] mask) {
    public int length() {
      return ids.length == 0 ? 0 : ids[0].length;
    }

    public long tokens() {
      long n = 0;
      for (int[] row : mask) {
        for (int m : row) {
          n += m;
        }
      }
      return n;
    }
  }

  public static Padded right(List<int[]> seqs, int pad) {
    return pad(seqs, pad, false);
  }

  public static Padded left(List<int[]> seqs, int pad) {
    return pad(seqs, pad, true);
  }

  /** Right-pads any int rows (e.g. labels) to the batch's longest with {@code fill}. */
  public static int[][] rightFill(List<int[]> rows, int fill) {
    int t = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[][] out = new int[rows.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOf(rows.get(i), t);
      Arrays.fill(out[i], rows.get(i).length, t, fill);
    }
    return out;
  }

  private static Padded pad(List<int[]> seqs, int pad, boolean left) {
    if (seqs.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    int t = seqs.stream().mapToInt(s -> s.length).max().orElse(0);
    if (t == 0) {
      throw new IllegalArgumentException("every sequence in the batch is empty");
    }
    int[][] ids = new int[seqs.size()][t];
    int[][] mask = new int[seqs.size()][t];
    for (int i = 0; i < ids.length; i++) {
      int[] s = seqs.get(i);
      int off = left ? t - s.length : 0;
      Arrays.fill(ids[i], pad);
      System.arraycopy(s, 0, ids[i], off, s.length);
      Arrays.fill(mask[i], off, off + s.length, 1);
    }
    return new Padded(ids, mask);
  }
}
