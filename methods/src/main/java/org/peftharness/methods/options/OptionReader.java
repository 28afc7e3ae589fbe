package org.peftharness.methods.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;

/**
 * A method's options as read from YAML or JSON (numbers, strings, booleans, lists): typed reads
 * that fill defaults and check values, every error naming the option and the source.
 */
public final class OptionReader {
  private final Map<String, ?> map;
  private final String source;

  /**
   * @param allowed every key the method takes (with the {@code method} key itself); another key is
   *     an input error with a did-you-mean hint
   */
  public OptionReader(Map<String, ?> map, String source, String method, List<String> allowed) {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw new InvalidInputException(source, 0, key, "is not an option of method '" + method + "'"
            + DidYouMean.hint(key, allowed));
      }
    }
    this.map = map;
    this.source = source;
  }

  public boolean has(Option<?> option) {
    return map.get(option.key()) != null;
  }

  /** The given value, else {@code dflt}; either must pass the option's check. */
  public <T> T read(Option<T> option, T dflt) {
    Object raw = map.get(option.key());
    T value = raw == null ? dflt : option.kind().read(raw, problem -> error(option, problem));
    String problem = value == null ? null : option.check().problem(value);
    if (problem != null) {
      throw error(option, problem);
    }
    return value;
  }

  /** An input error naming the option. */
  public InvalidInputException error(Option<?> option, String problem) {
    return new InvalidInputException(source, 0, option.key(), problem);
  }

  /** The keys of some options, in order. */
  public static List<String> keys(List<Option<?>> options) {
    List<String> out = new ArrayList<>();
    options.forEach(o -> out.add(o.key()));
    return out;
  }
}
