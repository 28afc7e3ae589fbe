package org.peftharness.grid;

import org.peftharness.core.InvalidInputException;

/**
 * Slice {@code i} of {@code n} of a grid. A cell belongs to the slice its id hashes to, so the
 * slices do not move when cells are added to or removed from the grid.
 */
public record Shard(int index, int count) {
  public static final Shard ALL = new Shard(1, 1);

  public static Shard parse(String text) {
    String[] parts = text.split("/");
    try {
      if (parts.length == 2) {
        int i = Integer.parseInt(parts[0].trim());
        int n = Integer.parseInt(parts[1].trim());
        if (n >= 1 && i >= 1 && i <= n) {
          return new Shard(i, n);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidInputException("argument --shard", 0, null, "'" + text + "' is not i/n with 1 <= i <= n");
  }

  public boolean contains(Cell cell) {
    long h = Long.parseUnsignedLong(cell.id().substring(0, 15), 16);
    return h % count == index - 1;
  }
}
