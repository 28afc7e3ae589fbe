package org.peftharness.methods.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.peftharness.core.text.DidYouMean;

/**
 * One option of a method: its canonical key (snake_case as in PEFT where PEFT has the option),
 * a help line, how a YAML/JSON value is read, and the check a read value must pass.
 *
 * @param key the canonical key, as in the grid file and the cell's configuration
 * @param help one line for users, saying the default
 * @param kind reads a loosely typed value (number, string, boolean, list)
 * @param check returns the problem of a value, or null when it is fine
 * @param fixed whether the method fixes the value itself (LoRA-SB's alpha = rank): it may be given
 *     only as that value, and a caller holding a value for every method (inspect init) leaves it out
 * @param listValued whether one value is a list ({@code target_modules}); a grid's list for any
 *     other option is a sweep over its items
 */
public record Option<T>(String key, String help, Kind<T> kind, Check<T> check, boolean fixed, boolean listValued) {
  /** Reads a raw value; {@code fail} makes the error naming this option. */
  @FunctionalInterface
  public interface Kind<T> {
    T read(Object raw, Fail fail);
  }

  /** The problem of a value, or null. */
  @FunctionalInterface
  public interface Check<T> {
    String problem(T value);
  }

  /** Makes the input error of an option from a problem text. */
  @FunctionalInterface
  public interface Fail {
    RuntimeException with(String problem);
  }

  /** A closed set of values written as text (LoRA-GA's direction and scale). */
  public interface Choice {
    String text();
  }

  public static Option<Integer> integer(String key, String help) {
    return new Option<>(key, help, Option::readInteger, v -> null, false, false);
  }

  public static Option<Double> number(String key, String help) {
    return new Option<>(key, help, Option::readNumber, v -> null, false, false);
  }

  public static Option<Boolean> bool(String key, String help) {
    return new Option<>(key, help, (v, fail) -> {
      if (v instanceof Boolean b) {
        return b;
      }
      throw fail.with("must be true or false, got " + describe(v));
    }, v -> null, false, false);
  }

  public static Option<String> text(String key, String help) {
    return new Option<>(key, help, Option::readText, v -> null, false, false);
  }

  /** A list of strings; a single string is a list of one. */
  public static Option<List<String>> strings(String key, String help, String what) {
    return new Option<>(key, help, (v, fail) -> {
      if (v instanceof String s) {
        return List.of(s);
      }
      if (v instanceof List<?> list) {
        List<String> out = new ArrayList<>();
        for (Object o : list) {
          if (!(o instanceof String s)) {
            throw fail.with("must be a list of " + what + ", found " + describe(o));
          }
          out.add(s);
        }
        return out;
      }
      throw fail.with("must be a list of " + what + ", got " + describe(v));
    }, v -> null, false, true);
  }

  /** One of {@code values} by its exact text; a case slip or a typo gets a hint. */
  public static <E extends Choice> Option<E> choice(String key, String help, E[] values) {
    return new Option<>(key, help, (v, fail) -> {
      String s = readText(v, fail);
      List<String> names = new ArrayList<>();
      for (E e : values) {
        names.add(e.text());
        if (e.text().equals(s)) {
          return e;
        }
      }
      for (E e : values) {
        if (e.text().toLowerCase(Locale.ROOT).equals(s.toLowerCase(Locale.ROOT))) {
          throw fail.with("is case-sensitive: write '" + e.text() + "', not '" + s + "'");
        }
      }
      throw fail.with("unknown value '" + s + "'" + DidYouMean.hint(s, names));
    }, v -> null, false, false);
  }

  /** This option, with a value check phrased as "must be {@code requirement}, got v". */
  public Option<T> require(Predicate<T> ok, String requirement) {
    return checked(v -> ok.test(v) ? null : "must be " + requirement + ", got " + v);
  }

  /** This option, with a value check returning the problem or null. */
  public Option<T> checked(Check<T> more) {
    Check<T> first = check;
    return new Option<>(key, help, kind, v -> {
      String p = first.problem(v);
      return p != null ? p : more.problem(v);
    }, fixed, listValued);
  }

  /** This option as one the method fixes, with the help saying how. */
  public Option<T> fixedAs(String fixedHelp) {
    return new Option<>(key, fixedHelp, kind, check, true, listValued);
  }

  private static int readInteger(Object v, Fail fail) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw fail.with("must be an integer, got " + describe(v));
  }

  private static double readNumber(Object v, Fail fail) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw fail.with("must be a number, got " + describe(v));
  }

  private static String readText(Object v, Fail fail) {
    if (v instanceof String s) {
      return s;
    }
    throw fail.with("must be a string, got " + describe(v));
  }

  private static String describe(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }
}
