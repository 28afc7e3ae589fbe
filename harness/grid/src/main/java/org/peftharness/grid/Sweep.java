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
  record Point(Map<String, String> values, YNode section) {
    static final Point NONE = new Point(Map.of(), null);
  }

  /** The points of a {@code train:} section: the cartesian product of its lists, in key order; one point when it has none. */
  static List<Point> of(YNode section, String where, List<InvalidInputException> errors) {
    if (!(section instanceof YNode.YMap map)) {
      return List.of(new Point(Map.of(), section));
    }
    List<Point> points = List.of(new Point(Map.of(), null));
    Map<String, YNode> fixed = new LinkedHashMap<>(map.entries());
    for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
      if (!(e.getValue() instanceof YNode.YList list) || !list.items().stream().allMatch(i -> i instanceof YNode.YScalar)) {
        continue; // not a sweep; reading the section reports a list of lists
      }
      if (list.items().isEmpty()) {
        errors.add(new InvalidInputException(list.source(), list.line(), where + "." + e.getKey(), "an empty list sweeps nothing"));
        continue;
      }
      List<Point> next = new ArrayList<>();
      for (Point p : points) {
        for (YNode item : list.items()) {
          Map<String, String> values = new LinkedHashMap<>(p.values());
          values.put(e.getKey(), ((YNode.YScalar) item).value().trim());
          next.add(new Point(values, null));
        }
      }
      points = next;
    }
    List<Point> out = new ArrayList<>();
    for (Point p : points) {
      Map<String, YNode> entries = new LinkedHashMap<>(fixed);
      p.values().forEach((k, v) -> entries.put(k, itemOf((YNode.YList) map.entries().get(k), v)));
      out.add(new Point(p.values(), new YNode.YMap(entries, map.source(), map.line())));
    }
    return out;
  }

  /** The points of a method entry's options: the cartesian product of the lists the catalog says are sweeps. */
  static List<Map<String, Object>> options(MethodEntry entry, MethodCatalog methods) {
    List<Map<String, Object>> points = List.of(new LinkedHashMap<>());
    for (Map.Entry<String, Object> o : entry.options().entrySet()) {
      if (!(o.getValue() instanceof List<?> list) || list.isEmpty() || !methods.sweepable(entry.name(), o.getKey())) {
        continue;
      }
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> p : points) {
        for (Object v : list) {
          Map<String, Object> q = new LinkedHashMap<>(p);
          q.put(o.getKey(), v);
          next.add(q);
        }
      }
      points = next;
    }
    return points;
  }

  private static YNode itemOf(YNode.YList list, String value) {
    for (YNode item : list.items()) {
      if (item instanceof YNode.YScalar s && s.value().trim().equals(value)) {
        return item;
      }
    }
    throw new IllegalStateException(value + " is not an item of " + list);
  }
}
