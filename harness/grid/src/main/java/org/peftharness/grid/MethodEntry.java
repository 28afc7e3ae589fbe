package org.peftharness.grid;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.yaml.YNode;

/**
 * A method as a grid lists it: its name, the ranks to sweep (empty for full fine-tuning), its
 * options as given (validated by the method registry), settings that apply to this entry's cells
 * only ({@code train:}, {@code eval:} inside the entry), the training set this entry's cells train on
 * when it differs from the grid's ({@code train_on:} inside the entry; null: the grid's), and where
 * it was written.
 */
public record MethodEntry(String name, List<Integer> ranks, Map<String, Object> options, YNode train, YNode eval,
    TrainOn trainOn, YNode node) {

  /** This entry at one point of its option sweep: the swept options take the point's values. */
  public MethodEntry at(Map<String, Object> point) {
    Map<String, Object> o = new TreeMap<>(options);
    o.putAll(point);
    return new MethodEntry(name, ranks, o, train, eval, trainOn, node);
  }
}
