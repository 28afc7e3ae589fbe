package org.peftharness.grid;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;

/**
 * One typed key of a grid section (train, eval): its default, range or choices, a one-line help,
 * and how its resolved value reads as a {@code T}. A section's values stay plain JSON values
 * (Integer, Double, Boolean, lower-case text) because the cell id hashes them.
 */
public final class Setting<T> {
  public enum Kind { INT, DOUBLE, BOOL, STRING }

  private final String name;
  private final Kind kind;
  private final Object defaultValue;
  private final double min;
  private final double max;
  private final List<String> choices;
  private final String help;
  private final Function<Object, T> typed;
  private final boolean hashedOnlyWhenSet;

  private Setting(String name, Kind kind, Object defaultValue, double min, double max, List<String> choices, String help,
      Function<Object, T> typed) {
    this(name, kind, defaultValue, min, max, choices, help, typed, false);
  }

  private Setting(String name, Kind kind, Object defaultValue, double min, double max, List<String> choices, String help,
      Function<Object, T> typed, boolean hashedOnlyWhenSet) {
    this.name = name;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.min = min;
    this.max = max;
    this.choices = choices;
    this.help = help;
    this.typed = typed;
    this.hashedOnlyWhenSet = hashedOnlyWhenSet;
  }

  /**
   * This setting, kept out of a resolved section while it has its default value: for a setting
   * added after cells were first hashed, so that every cell that does not use it keeps its id.
   */
  public Setting<T> hashedOnlyWhenSet() {
    return new Setting<>(name, kind, defaultValue, min, max, choices, help, typed, true);
  }

  /** Whether a resolved section leaves this setting out at its default ({@link #hashedOnlyWhenSet()}). */
  public boolean isHashedOnlyWhenSet() {
    return hashedOnlyWhenSet;
  }

  public static Setting<Integer> integer(String name, int dflt, int min, String help) {
    return new Setting<>(name, Kind.INT, dflt, min, Integer.MAX_VALUE, List.of(), help, v -> ((Number) v).intValue());
  }

  public static Setting<Double> real(String name, double dflt, double min, double max, String help) {
    return new Setting<>(name, Kind.DOUBLE, dflt, min, max, List.of(), help, v -> ((Number) v).doubleValue());
  }

  public static Setting<Boolean> bool(String name, boolean dflt, String help) {
    return new Setting<>(name, Kind.BOOL, dflt, 0, 0, List.of(), help, v -> (Boolean) v);
  }

  /** One of the given lower-case names. */
  public static Setting<String> name(String name, String dflt, List<String> choices, String help) {
    return new Setting<>(name, Kind.STRING, dflt, 0, 0, List.copyOf(choices), help, v -> (String) v);
  }

  /** One of an enum's constants, written in lower case; the choices are listed in declaration order. */
  public static <E extends Enum<E>> Setting<E> choice(String name, E dflt, String help) {
    Class<E> type = dflt.getDeclaringClass();
    List<String> choices = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    return new Setting<>(name, Kind.STRING, dflt.name().toLowerCase(Locale.ROOT), 0, 0, choices, help,
        v -> Enum.valueOf(type, ((String) v).toUpperCase(Locale.ROOT)));
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public List<String> choices() {
    return choices;
  }

  public String help() {
    return help;
  }

  /**
   * This setting's value in a resolved section; the default where the section does not have it
   * (a configuration recorded before the setting existed ran with the default).
   */
  public T in(Map<String, ?> resolved) {
    Object v = resolved.get(name);
    return typed.apply(v == null ? defaultValue : v);
  }

  /** The value of a YAML scalar for this setting, or an error naming file, line and key. */
  public Object read(YNode node, String path) {
    if (!(node instanceof YNode.YScalar s) || s.tag().equals("null")) {
      throw new InvalidInputException(node.source(), node.line(), path, "expected a " + describe());
    }
    String v = s.value().trim();
    return switch (kind) {
      case INT -> {
        try {
          yield check(Integer.parseInt(v.replace("_", "")), node, path);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(node.source(), node.line(), path, "expected an integer, got '" + v + "'");
        }
      }
      case DOUBLE -> {
        try {
          double d = Double.parseDouble(v);
          if (!Double.isFinite(d)) {
            throw new NumberFormatException();
          }
          yield check(d, node, path);
        } catch (NumberFormatException e) {
          throw new InvalidInputException(node.source(), node.line(), path, "expected a number, got '" + v + "'");
        }
      }
      case BOOL -> {
        if (v.equals("true") || v.equals("false")) {
          yield Boolean.valueOf(v);
        }
        throw new InvalidInputException(node.source(), node.line(), path, "expected true or false, got '" + v + "'");
      }
      case STRING -> {
        String lower = v.toLowerCase(Locale.ROOT);
        if (!choices.isEmpty() && !choices.contains(lower)) {
          throw new InvalidInputException(node.source(), node.line(), path, "'" + v + "' is not one of " + String.join(", ", choices));
        }
        yield lower;
      }
    };
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
    return switch (kind) {
      case INT -> "integer";
      case DOUBLE -> "number";
      case BOOL -> "true/false";
      case STRING -> choices.isEmpty() ? "string" : "one of " + String.join(", ", choices);
    };
  }
}
