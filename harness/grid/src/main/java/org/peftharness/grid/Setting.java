package org.peftharness.grid;

import java.util.List;
import java.util.Locale;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;

/** One typed key of a grid section (train, eval): its default, range or choices, and a one-line help. */
public record Setting(String name, Kind kind, Object defaultValue, double min, double max, List<String> choices, String help) {
  public enum Kind { INT, DOUBLE, BOOL, STRING }

  public static Setting integer(String name, int dflt, int min, String help) {
    return new Setting(name, Kind.INT, dflt, min, Integer.MAX_VALUE, List.of(), help);
  }

  public static Setting real(String name, double dflt, double min, double max, String help) {
    return new Setting(name, Kind.DOUBLE, dflt, min, max, List.of(), help);
  }

  public static Setting bool(String name, boolean dflt, String help) {
    return new Setting(name, Kind.BOOL, dflt, 0, 0, List.of(), help);
  }

  public static Setting choice(String name, String dflt, List<String> choices, String help) {
    return new Setting(name, Kind.STRING, dflt, 0, 0, choices, help);
  }

  /** The value of a YAML scalar for this setting, or an error naming file, line and key. */
  public Object read(YNode node, String path) {
    if (!(node instanceof YNode.YScalar s) || s.tag().equals("null")) {
      throw new InvalidInputException(node.source(), node.line(), path, "expected a " + describe());
    }
    String v = s.value().trim();
    switch (kind) {
      case INT:
        try {
          return check(Integer.parseInt(v.replace("_", "")), node, path);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(node.source(), node.line(), path, "expected an integer, got '" + v + "'");
        }
      case DOUBLE:
        try {
          double d = Double.parseDouble(v);
          if (!Double.isFinite(d)) {
            throw new NumberFormatException();
          }
          return check(d, node, path);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(node.source(), node.line(), path, "expected a number, got '" + v + "'");
        }
      case BOOL:
        if (v.equals("true") || v.equals("false")) {
          return Boolean.valueOf(v);
        }
        throw new InvalidInputException(node.source(), node.line(), path, "expected true or false, got '" + v + "'");
      case STRING:
        String lower = v.toLowerCase(Locale.ROOT);
        if (!choices.isEmpty() && !choices.contains(lower)) {
          throw new InvalidInputException(node.source(), node.line(), path, "'" + v + "' is not one of " + String.join(", ", choices));
        }
        return lower;
      default:
        throw new AssertionError(kind);
    }
  }

  private Object check(Number n, YNode node, String path) {
    double d = n.doubleValue();
    if (d < min || d > max) {
      String range = max == Integer.MAX_VALUE || Double.isInfinite(max) ? ">= " + fmt(min) : "in [" + fmt(min) + ", " + fmt(max) + "]";
      throw new InvalidInputException(node.source(), node.line(), path, n + " is out of range: must be " + range);
    }
    return n;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  public String describe() {
    switch (kind) {
      case INT:
        return "integer";
      case DOUBLE:
        return "number";
      case BOOL:
        return "true/false";
      default:
        return choices.isEmpty() ? "string" : "one of " + String.join(", ", choices);
    }
  }
}
