package org.peftharness.core.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode.YList;
import org.peftharness.core.yaml.YNode.YMap;
import org.peftharness.core.yaml.YNode.YScalar;

/**
 * Typed access to one YAML mapping, every fault an {@link InvalidInputException} naming file, line
 * and the key's dotted path ({@code entries[0].tolerance.absolute}). A key written with no value
 * ({@code key:} or {@code key: null}) counts as not given.
 *
 * <p>Faults either throw at once ({@link #of}) or go to a list and parsing goes on with a neutral
 * value ({@link #collecting}), so a grid file can report all its faults in one run. Maps reached
 * through {@link #map} share their parent's mode.
 */
public final class YamlMap {
  private final YMap node;
  private final String path;
  private final List<InvalidInputException> sink;

  private YamlMap(YMap node, String path, List<InvalidInputException> sink) {
    this.node = node;
    this.path = path;
    this.sink = sink;
  }

  /** A map whose first fault throws. */
  public static YamlMap of(YMap node) {
    return new YamlMap(node, "", null);
  }

  /** A map whose faults are added to {@code faults}; accessors then return a neutral value. */
  public static YamlMap collecting(YMap node, List<InvalidInputException> faults) {
    return new YamlMap(node, "", faults);
  }

  /**
   * {@code n} as a map whose keys are named {@code path.key} in errors ({@code ""} for a file's top
   * level); null after a fault when collecting into {@code faults} (null to throw).
   */
  public static YamlMap at(YNode n, String path, List<InvalidInputException> faults) {
    if (n instanceof YMap m) {
      return new YamlMap(m, path, faults);
    }
    deliver(faults, new InvalidInputException(n.source(), n.line(), path.isEmpty() ? null : path,
        "expected a mapping (key: value)" + (path.isEmpty() ? " at the top of the file" : "") + ", got " + describe(n)));
    return null;
  }

  public YMap node() {
    return node;
  }

  public String source() {
    return node.source();
  }

  public int line() {
    return node.line();
  }

  /** The dotted path of {@code key} in this map, as errors name it. */
  public String field(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Whether {@code key} is given with a value. */
  public boolean has(String key) {
    YNode n = node.entries().get(key);
    return n != null && !isNull(n);
  }

  /** The node of {@code key}, or null when it is not given. */
  public YNode get(String key) {
    return has(key) ? node.entries().get(key) : null;
  }

  /** Reports every key not in {@code known}, with the closest known ones. */
  public void allowOnly(Collection<String> known) {
    List<String> sorted = List.copyOf(new TreeSet<>(known));
    for (Map.Entry<String, YNode> e : node.entries().entrySet()) {
      if (!known.contains(e.getKey())) {
        String field = field(e.getKey());
        // the field already names the key when it is a top-level key; deeper paths repeat it
        String problem = "unknown key" + (field.equals(e.getKey()) ? "" : " '" + e.getKey() + "'");
        report(new InvalidInputException(e.getValue().source(), e.getValue().line(), field,
            problem + DidYouMean.suggest(e.getKey(), sorted)));
      }
    }
  }

  /** The node of a required key; a missing one is reported at this map's line. */
  public YNode require(String key) {
    YNode n = get(key);
    if (n == null) {
      report(new InvalidInputException(node.source(), node.line(), field(key), "required key is missing"));
    }
    return n;
  }

  /** An error about {@code key}, at its line when it is given, else at this map's line. */
  public InvalidInputException error(String key, String problem) {
    YNode n = node.entries().get(key);
    return new InvalidInputException(node.source(), n == null ? node.line() : n.line(), field(key), problem);
  }

  /** Adds {@code e} to the faults when collecting, else throws it. */
  public void report(InvalidInputException e) {
    deliver(sink, e);
  }

  // ---- scalars

  public String string(String key) {
    YNode n = require(key);
    return n == null ? "" : text(n, field(key));
  }

  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  public int integer(String key) {
    YNode n = require(key);
    if (n == null) {
      return 0;
    }
    long v = longValue(n, field(key));
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      return fault(faultAt(n, field(key), v + " is out of range for an integer"), 0);
    }
    return (int) v;
  }

  public int integer(String key, int fallback) {
    return has(key) ? integer(key) : fallback;
  }

  /** A whole number greater than zero. */
  public int positiveInteger(String key) {
    YNode n = require(key);
    if (n == null) {
      return 0;
    }
    if (n instanceof YScalar s && s.tag().equals("int")) {
      try {
        int v = Integer.parseInt(s.value().replace("_", ""));
        if (v > 0) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    return fault(faultAt(n, field(key), "expected a positive integer, got " + describe(n)), 0);
  }

  public long longValue(String key) {
    YNode n = require(key);
    return n == null ? 0 : longValue(n, field(key));
  }

  /** A finite number, integer or decimal. */
  public double number(String key) {
    YNode n = require(key);
    if (n == null) {
      return 0;
    }
    if (n instanceof YScalar s && (s.tag().equals("int") || s.tag().equals("float"))) {
      try {
        double v = Double.parseDouble(s.value().replace("_", ""));
        if (Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    return fault(faultAt(n, field(key), "expected a number, got " + describe(n)), 0.0);
  }

  public double number(String key, double fallback) {
    return has(key) ? number(key) : fallback;
  }

  /** A number that is zero or more. */
  public double nonNegative(String key) {
    double v = number(key);
    if (v < 0) {
      return fault(error(key, "must not be negative, got " + v), 0.0);
    }
    return v;
  }

  public boolean bool(String key) {
    YNode n = require(key);
    if (n == null) {
      return false;
    }
    if (n instanceof YScalar s && s.tag().equals("bool")) {
      return Boolean.parseBoolean(s.value().toLowerCase(Locale.ROOT));
    }
    return fault(faultAt(n, field(key), "expected true or false, got " + describe(n)), false);
  }

  public boolean bool(String key, boolean fallback) {
    return has(key) ? bool(key) : fallback;
  }

  /** One of {@code choices} (compared as written), with the closest ones on a miss. */
  public String choice(String key, List<String> choices) {
    String v = string(key);
    if (!choices.contains(v) && has(key)) {
      return fault(error(key, "'" + v + "' is not one of " + String.join(", ", choices) + closest(v, choices)),
          choices.get(0));
    }
    return v;
  }

  /** An enum constant by its name, in any case ({@code generation} for {@code GENERATION}). */
  public <E extends Enum<E>> E enumOf(Class<E> type, String key) {
    List<String> names = new ArrayList<>();
    for (E c : type.getEnumConstants()) {
      names.add(c.name().toLowerCase(Locale.ROOT));
    }
    String v = string(key).toLowerCase(Locale.ROOT);
    if (!names.contains(v)) {
      if (has(key)) {
        report(error(key, "'" + v + "' is not one of " + String.join(", ", names) + closest(v, names)));
      }
      return type.getEnumConstants()[0];
    }
    return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
  }

  // ---- collections

  /** The map under {@code key}; when it is missing or not a map, a fault and null. */
  public YamlMap map(String key) {
    YNode n = require(key);
    return n == null ? null : at(n, field(key), sink);
  }

  /** The map under {@code key}, or null when the key is not given. */
  public YamlMap optionalMap(String key) {
    return has(key) ? map(key) : null;
  }

  /** The items of the list under {@code key}; empty after a fault. */
  public List<YNode> list(String key) {
    YNode n = require(key);
    if (n == null) {
      return List.of();
    }
    if (n instanceof YList l) {
      return l.items();
    }
    return fault(faultAt(n, field(key), "expected a list, got " + describe(n)), List.of());
  }

  /** A list of texts. */
  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    List<YNode> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      out.add(text(items.get(i), field(key) + "[" + i + "]"));
    }
    return out;
  }

  /** A list of texts, or one text standing for a list of one. */
  public List<String> stringOrStrings(String key) {
    YNode n = require(key);
    if (n == null) {
      return List.of();
    }
    if (n instanceof YList) {
      return strings(key);
    }
    return List.of(text(n, field(key)));
  }

  /** Reports each value listed twice under {@code key}. */
  public void unique(String key, List<?> values) {
    Set<Object> seen = new HashSet<>();
    for (Object v : values) {
      if (!seen.add(v)) {
        report(error(key, "lists '" + v + "' twice"));
      }
    }
  }

  /** {@code items} as maps, each at {@code path[i]}; items that are not maps are reported and left out. */
  public List<YamlMap> maps(String key) {
    List<YamlMap> out = new ArrayList<>();
    List<YNode> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      YamlMap m = at(items.get(i), field(key) + "[" + i + "]", sink);
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  /** A non-empty text; blank or missing values and lists or maps are faults. */
  public String text(YNode n, String field) {
    if (n instanceof YScalar s && !isNull(s) && !s.value().isBlank()) {
      return s.value();
    }
    return fault(faultAt(n, field, "expected a non-empty text, got " + describe(n)), "");
  }

  private long longValue(YNode n, String field) {
    if (n instanceof YScalar s && s.tag().equals("int")) {
      try {
        return Long.parseLong(s.value().replace("_", ""));
      } catch (NumberFormatException e) {
        return fault(faultAt(n, field, "expected a decimal integer, got '" + s.value() + "'"), 0L);
      }
    }
    return fault(faultAt(n, field, "expected an integer, got " + describe(n)), 0L);
  }

  /** "; did you mean 'x'?" when a choice is close, else nothing (the message lists them all already). */
  private static String closest(String wrong, List<String> choices) {
    return DidYouMean.closest(wrong, choices).isEmpty() ? "" : DidYouMean.hint(wrong, choices);
  }

  /** How a value reads in an error: "a list", "a mapping", "nothing" or the value quoted. */
  public static String describe(YNode n) {
    if (n instanceof YList) {
      return "a list";
    }
    if (n instanceof YMap) {
      return "a mapping";
    }
    YScalar s = (YScalar) n;
    return isNull(s) ? "nothing" : "'" + s.value() + "'";
  }

  private static boolean isNull(YNode n) {
    return n instanceof YScalar s && s.tag().equals("null");
  }

  private static InvalidInputException faultAt(YNode n, String field, String problem) {
    return new InvalidInputException(n.source(), n.line(), field, problem);
  }

  private <T> T fault(InvalidInputException e, T neutral) {
    deliver(sink, e);
    return neutral;
  }

  private static void deliver(List<InvalidInputException> sink, InvalidInputException e) {
    if (sink == null) {
      throw e;
    }
    sink.add(e);
  }
}
