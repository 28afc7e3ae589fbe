package org.peftharness.grid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;

/**
 * The sweep axes a grid writes as lists: {@code train: {lr: [1e-4, 5e-4]}} (globally or in a
 * method entry) and a method option such as {@code alpha: [8, 16]}. Each list becomes an axis
 * like ranks and seeds; a point of the sweep is one value per axis, and its cells are ordinary
 * cells whose configuration holds that value, so they stay content-addressed.
 */
final class Sweep {
  private Sweep() {}

  /**
   * One point: the settings it fixes, by key in the order written ({@code lr=0.001}), and the
   * section it stands for, with every list replaced by that point's value.
   */
  record Point(Map<String, String> values, YNode section) {}

  /** The points of a {@code train:} section: the cartesian product of its lists, in key order; one point when it has none. */
  static List<Point> of(YNode section, String where, List<InvalidInputException> errors) {
    if (!(section instanceof YNode.YMap map)) {
      return List.of(new Point(Map.of(), section));
    }
    Map<String, List<YNode>> axes = new LinkedHashMap<>();
    for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
      if (!(e.getValue() instanceof YNode.YList list) || !list.items().stream().allMatch(i -> i instanceof YNode.YScalar)) {
        continue; // not a sweep; reading the section reports a list of lists
      }
      if (list.items().isEmpty()) {
        errors.add(new InvalidInputException(list.source(), list.line(), where + "." + e.getKey(), "an empty list sweeps nothing"));
        continue;
      }
      axes.put(e.getKey(), list.items());
    }
    List<Point> out = new ArrayList<>();
    for (Map<String, YNode> p : product(axes)) {
      Map<String, YNode> entries = new LinkedHashMap<>(map.entries());
      entries.putAll(p);
      Map<String, String> values = new LinkedHashMap<>();
      p.forEach((k, item) -> values.put(k, ((YNode.YScalar) item).value().trim()));
      out.add(new Point(values, new YNode.YMap(entries, map.source(), map.line())));
    }
    return out;
  }

  /** The points of a method entry's options: the cartesian product of the lists the catalog says are sweeps. */
  static List<Map<String, Object>> options(MethodEntry entry, MethodCatalog methods) {
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> o : entry.options().entrySet()) {
      if (o.getValue() instanceof List<?> list && !list.isEmpty() && methods.sweepable(entry.name(), o.getKey())) {
        axes.put(o.getKey(), new ArrayList<>(list));
      }
    }
    return product(axes);
  }

  /** Every combination of one value per axis, the axes in their order, the first axis varying slowest. */
  private static <T> List<Map<String, T>> product(Map<String, List<T>> axes) {
    List<Map<String, T>> points = List.of(new LinkedHashMap<>());
    for (Map.Entry<String, List<T>> axis : axes.entrySet()) {
      List<Map<String, T>> next = new ArrayList<>();
      for (Map<String, T> p : points) {
        for (T v : axis.getValue()) {
          Map<String, T> q = new LinkedHashMap<>(p);
          q.put(axis.getKey(), v);
          next.add(q);
        }
      }
      points = next;
    }
    return points;
  }
}
