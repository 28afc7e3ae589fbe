package org.peftharness.grid;

import java.util.ArrayList;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;

/**
 * An error about a {@code train:} or {@code eval:} setting of a method's cells, pointing at the first
 * place the grid sets the key: the method's entry, an override, then the grid's own section (or
 * the section itself when no place names the key).
 */
final class SettingError {
  private SettingError() {}

  /** @param section {@code train} or {@code eval} */
  static InvalidInputException at(GridSpec spec, String method, String section, String key, String problem) {
    boolean eval = section.equals("eval");
    List<YNode> places = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (MethodEntry me : spec.methods()) {
      if (me.name().equals(method)) {
        places.add(eval ? me.eval() : me.train());
        paths.add("methods." + me.name() + "." + section);
      }
    }
    for (int i = 0; i < spec.overrides().size(); i++) {
      GridOverride o = spec.overrides().get(i);
      places.add(eval ? o.eval() : o.train());
      paths.add("overrides[" + i + "]." + section);
    }
    places.add(eval ? spec.eval() : spec.train());
    paths.add(section);
    for (int i = 0; i < places.size(); i++) {
      if (places.get(i) instanceof YNode.YMap m && m.entries().containsKey(key)) {
        YNode n = m.entries().get(key);
        return new InvalidInputException(n.source(), n.line(), paths.get(i) + "." + key, problem);
      }
    }
    return new InvalidInputException(spec.file().toString(), spec.line(section), section + "." + key, problem);
  }
}
