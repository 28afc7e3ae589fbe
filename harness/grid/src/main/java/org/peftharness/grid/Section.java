package org.peftharness.grid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;

/** A grid section with a fixed set of typed keys (train, eval): defaults, and validated layering of user values. */
public final class Section {
  private final String name;
  private final Map<String, Setting<?>> settings = new LinkedHashMap<>();

  public Section(String name, List<Setting<?>> settings) {
    this.name = name;
    settings.forEach(s -> this.settings.put(s.name(), s));
  }

  public String name() {
    return name;
  }

  public Map<String, Setting<?>> settings() {
    return settings;
  }

  /** The default of every setting a resolved section always holds (not those {@link Setting#hashedOnlyWhenSet()}). */
  public Map<String, Object> defaults() {
    Map<String, Object> m = new TreeMap<>();
    settings.values().stream().filter(s -> !s.isHashedOnlyWhenSet()).forEach(s -> m.put(s.name(), s.defaultValue()));
    return m;
  }

  /**
   * Reads the keys given in {@code node} (a map) on top of {@code base}; every fault is added to
   * {@code errors} and parsing goes on, so a grid reports all its errors at once.
   */
  public Map<String, Object> layer(Map<String, Object> base, YNode node, String where, List<InvalidInputException> errors) {
    Map<String, Object> out = new TreeMap<>(base);
    if (node == null) {
      return out;
    }
    if (!(node instanceof YNode.YMap map)) {
      errors.add(new InvalidInputException(node.source(), node.line(), where, "expected a map of " + name + " settings"));
      return out;
    }
    for (Map.Entry<String, YNode> e : map.entries().entrySet()) {
      Setting<?> s = settings.get(e.getKey());
      String path = where + "." + e.getKey();
      if (s == null) {
        errors.add(new InvalidInputException(e.getValue().source(), e.getValue().line(), path,
            "unknown " + name + " setting" + DidYouMean.suggest(e.getKey(), settings.keySet())));
        continue;
      }
      try {
        Object v = s.read(e.getValue(), path);
        if (s.isHashedOnlyWhenSet() && v.equals(s.defaultValue())) {
          out.remove(s.name());
        } else {
          out.put(s.name(), v);
        }
      } catch (InvalidInputException ex) {
        errors.add(ex);
      }
    }
    return out;
  }
}
