package org.peftharness.core.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers the file and line it came from, so errors found after
 * {@code include:} merging still point at the right file and line.
 */
public sealed interface YNode permits YNode.YMap, YNode.YList, YNode.YScalar {
  String source();

  int line();

  record YMap(Map<String, YNode> entries, String source, int line) implements YNode {
    public YMap {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
  }

  record YList(List<YNode> items, String source, int line) implements YNode {
    public YList {
      items = List.copyOf(items);
    }
  }

  /** @param tag the resolved YAML core-schema tag ("str", "int", "bool", "float", "null") */
  record YScalar(String value, String tag, String source, int line) implements YNode {}
}
