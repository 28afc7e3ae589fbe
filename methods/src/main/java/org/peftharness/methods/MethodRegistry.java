package org.peftharness.methods;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.full.FullMethod;
import org.peftharness.methods.lora.LoraMethod;
import org.peftharness.methods.lorafa.LoraFaMethod;
import org.peftharness.methods.loraga.LoraGaMethod;
import org.peftharness.methods.lorasb.LoraSbMethod;
import org.peftharness.methods.loraxs.LoraXsMethod;
import org.peftharness.methods.none.NoneMethod;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.peftharness.methods.pissa.PissaMethod;

/**
 * The fine-tuning methods by name: frozen once built, checked when built (lowercase names,
 * unique; one-line descriptions; option keys unique per method). The built-in registry is fixed;
 * {@link #with} makes a larger one, e.g. for a method defined in a test.
 */
public final class MethodRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private static final MethodRegistry BUILTIN = new MethodRegistry(List.of(
      new NoneMethod(),
      new FullMethod(),
      new LoraMethod(),
      new LoraXsMethod(),
      new LoraGaMethod(),
      new PissaMethod(),
      new LoraFaMethod(),
      new LoraSbMethod(),
      new DoraMethod()));

  private final Map<String, FineTuningMethod<?>> methods;

  private MethodRegistry(List<FineTuningMethod<?>> all) {
    Map<String, FineTuningMethod<?>> byName = new LinkedHashMap<>();
    for (FineTuningMethod<?> m : all) {
      check(m);
      if (byName.putIfAbsent(m.name(), m) != null) {
        throw new IllegalStateException("method registered twice: " + m.name());
      }
    }
    this.methods = Collections.unmodifiableMap(byName);
  }

  /** The methods the harness ships, in listing order. */
  public static MethodRegistry builtin() {
    return BUILTIN;
  }

  /** A new registry with these methods after this one's (this one is unchanged). */
  public MethodRegistry with(FineTuningMethod<?>... more) {
    List<FineTuningMethod<?>> all = new ArrayList<>(methods.values());
    all.addAll(List.of(more));
    return new MethodRegistry(all);
  }

  private static void check(FineTuningMethod<?> m) {
    if (m.name() == null || !NAME.matcher(m.name()).matches()) {
      throw new IllegalStateException("method name '" + m.name() + "' is not lowercase words joined by '-'");
    }
    if (m.description() == null || m.description().isBlank() || m.description().contains("\n")) {
      throw new IllegalStateException(m.name() + ": the description must be one non-blank line");
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Option<?> o : m.options()) {
      if (o.key().equals(MethodConfig.METHOD_KEY) || !keys.add(o.key())) {
        throw new IllegalStateException(m.name() + ": option key '" + o.key() + "' is reserved or repeated");
      }
      if (o.help() == null || o.help().isBlank()) {
        throw new IllegalStateException(m.name() + ": option '" + o.key() + "' has no help");
      }
    }
  }

  /** The method of that name; an unknown name is an input error naming the closest ones. */
  public FineTuningMethod<?> get(String name) {
    return get(name, null, 0, "method");
  }

  /** As {@link #get(String)}, reporting an unknown name against a file position. */
  public FineTuningMethod<?> get(String name, String source, int line, String field) {
    FineTuningMethod<?> m = name == null ? null : methods.get(name);
    if (m == null) {
      throw new InvalidInputException(source, line, field,
          "unknown method '" + name + "'" + DidYouMean.hint(String.valueOf(name), methods.keySet()));
    }
    return m;
  }

  public boolean contains(String name) {
    return methods.containsKey(name);
  }

  /** All methods in registration order. */
  public Collection<FineTuningMethod<?>> all() {
    return methods.values();
  }

  /** The names in registration order. */
  public Set<String> names() {
    return methods.keySet();
  }

  /** Name to one-line description, in registration order. */
  public Map<String, String> descriptions() {
    Map<String, String> d = new LinkedHashMap<>();
    methods.values().forEach(m -> d.put(m.name(), m.description()));
    return Collections.unmodifiableMap(d);
  }

  /**
   * Parses options (as read from YAML/JSON: numbers, strings, booleans, lists), filling defaults
   * and validating; the {@code method} key names the method. {@code source} names the file or
   * argument for error messages.
   */
  public MethodConfig<?> config(Map<String, ?> map, String source) {
    Object name = map.get(MethodConfig.METHOD_KEY);
    if (name == null) {
      throw new InvalidInputException(source, 0, MethodConfig.METHOD_KEY, "missing: name one of " + String.join(", ", names()));
    }
    return configure(get(String.valueOf(name), source, 0, MethodConfig.METHOD_KEY), map, source);
  }

  private static <O extends MethodOptions> MethodConfig<O> configure(FineTuningMethod<O> m, Map<String, ?> map, String source) {
    List<String> allowed = new ArrayList<>(List.of(MethodConfig.METHOD_KEY));
    allowed.addAll(OptionReader.keys(m.options()));
    return new MethodConfig<>(m, m.readOptions(new OptionReader(map, source, m.name(), allowed)));
  }
}
