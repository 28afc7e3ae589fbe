package org.peftharness.tasks.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Draws distinct items (so no evaluation item also appears in training) with a bound on retries. */
final class Unique {
  private Unique() {}

  /** Shuffles in place with the given stream (Fisher-Yates, so the order depends only on the seed). */
  static <T> void shuffle(List<T> items, SplittableRandom rng) {
    for (int i = items.size() - 1; i > 0; i--) {
      Collections.swap(items, i, rng.nextInt(i + 1));
    }
  }

  /** @param next makes an item from the stream and the number of items accepted so far */
  static <T> List<T> draw(int count, SplittableRandom rng, BiFunction<SplittableRandom, Integer, T> next, Function<T, String> key) {
    List<T> out = new ArrayList<>(count);
    Set<String> seen = new HashSet<>();
    int attempts = 0;
    while (out.size() < count) {
      if (++attempts > count * 50 + 1000) {
        throw new IllegalArgumentException("cannot draw " + count + " distinct items; the generator's space is too small");
      }
      T item = next.apply(rng, out.size());
      if (seen.add(key.apply(item))) {
        out.add(item);
      }
    }
    return out;
  }
}
