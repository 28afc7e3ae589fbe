package org.peftharness.tasks.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.peftharness.tasks.read.Example;

/** The part of a training set a paper trains on: its {@code train[:N]} slice, optionally shuffled first. */
public final class TrainingSlice {
  private TrainingSlice() {}

  /**
   * The first {@code first} examples of {@code all} (all of them for 0), after a Fisher-Yates
   * shuffle drawn from {@code shuffleOrNull} when it is given (file order when null). The input
   * list is left as it is.
   *
   * @throws IllegalArgumentException when {@code first} is negative or larger than the set (the
   *     caller, which knows the grid line, reports it as an input error)
   */
  public static List<Example> select(List<Example> all, int first, SplittableRandom shuffleOrNull) {
    if (first < 0 || first > all.size()) {
      throw new IllegalArgumentException("asked for the first " + first + " of " + all.size() + " examples");
    }
    List<Example> order = new ArrayList<>(all);
    if (shuffleOrNull != null) {
      for (int i = order.size() - 1; i > 0; i--) {
        Collections.swap(order, i, shuffleOrNull.nextInt(i + 1));
      }
    }
    return List.copyOf(first == 0 ? order : order.subList(0, first));
  }
}
