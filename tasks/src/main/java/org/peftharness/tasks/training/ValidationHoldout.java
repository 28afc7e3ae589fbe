package org.peftharness.tasks.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.tasks.read.Example;

/**
 * Validation examples held out of a task's training file, for choosing among configurations and
 * epochs without reading the split that is reported. The draw depends only on the task, the file's
 * records and the size, never on a cell's seed: every cell of the task, whatever its method,
 * learning rate or seed, is chosen on the same examples and trains on the same rest.
 *
 * @param train the examples left for training, in file order
 * @param validation the held-out examples, in file order
 * @param indices the held-out examples' positions in the file, ascending (for the provenance record)
 * @param seed the seed of the draw: stream {@code validation/<task>} of root {@link #ROOT}
 */
public record ValidationHoldout(List<Example> train, List<Example> validation, List<Integer> indices, long seed) {
  /** The root of the draw's seed: fixed, so the held-out examples are one set per task and size. */
  public static final long ROOT = 0;
  /** The stream the draw is made from, per task. */
  public static final String STREAM = "validation";

  /**
   * Holds {@code size} of {@code all} out: the first {@code size} positions of a Fisher-Yates
   * permutation drawn from stream {@code validation/<task>} of root 0.
   *
   * @throws IllegalArgumentException when size is not below the number of examples (nothing would
   *     be left to train on); the caller, which knows the grid line, reports it as an input error
   */
  public static ValidationHoldout of(String task, List<Example> all, int size) {
    if (size <= 0 || size >= all.size()) {
      throw new IllegalArgumentException("cannot hold " + size + " of " + all.size() + " examples out and train on the rest");
    }
    long seed = new SeedStreams(ROOT).seed(STREAM + "/" + task);
    SplittableRandom random = new SplittableRandom(seed);
    int[] order = IntStream.range(0, all.size()).toArray();
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    boolean[] held = new boolean[all.size()];
    for (int i = 0; i < size; i++) {
      held[order[i]] = true;
    }
    List<Example> train = new ArrayList<>(all.size() - size);
    List<Example> validation = new ArrayList<>(size);
    List<Integer> indices = new ArrayList<>(size);
    for (int i = 0; i < all.size(); i++) {
      if (held[i]) {
        validation.add(all.get(i));
        indices.add(i);
      } else {
        train.add(all.get(i));
      }
    }
    return new ValidationHoldout(List.copyOf(train), List.copyOf(validation), List.copyOf(indices), seed);
  }
}
