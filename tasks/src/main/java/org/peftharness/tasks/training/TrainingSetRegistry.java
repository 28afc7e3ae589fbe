package org.peftharness.tasks.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlFiles;

/**
 * The built-in training sets, read from the YAML resources under
 * {@code org/peftharness/tasks/training/}; {@code sets.list} names them (a jar cannot be listed
 * portably), as {@code tasks.list} does for the tasks.
 */
public final class TrainingSetRegistry {
  static final String ROOT = "org/peftharness/tasks/training/";

  private static volatile TrainingSetRegistry builtin;

  private final Map<String, TrainingSet> sets;

  private TrainingSetRegistry(Map<String, TrainingSet> sets) {
    this.sets = sets;
  }

  /** Every built-in training set, parsed once (a broken resource fails here, at the first use). */
  public static TrainingSetRegistry builtin() {
    TrainingSetRegistry r = builtin;
    if (r == null) {
      synchronized (TrainingSetRegistry.class) {
        if (builtin == null) {
          builtin = load();
        }
        r = builtin;
      }
    }
    return r;
  }

  private static TrainingSetRegistry load() {
    Map<String, TrainingSet> m = new LinkedHashMap<>();
    for (String line : resource("sets.list").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      TrainingSet set = parse(resource(name + ".yaml"), ROOT + name + ".yaml");
      if (!set.name().equals(name)) {
        throw new IllegalStateException(ROOT + name + ".yaml declares name '" + set.name() + "'");
      }
      m.put(name, set);
    }
    return new TrainingSetRegistry(m);
  }

  /** Parses one training-set file given as text (for tests and for sets outside the jar). */
  static TrainingSet parse(String yaml, String source) {
    YNode root = YamlFiles.parse(yaml, source);
    if (!(root instanceof YNode.YMap map)) {
      throw new InvalidInputException(source, root.line(), null, "a training-set file is a map of keys");
    }
    return TrainingSetParser.parse(map);
  }

  /** The set of that name; an unknown name is an input error with the closest and the known names. */
  public TrainingSet get(String name) {
    return get(name, "argument train_on", 0);
  }

  /** As {@link #get(String)}, the error placed at a grid's {@code set:} line. */
  public TrainingSet get(String name, String source, int line) {
    TrainingSet s = sets.get(name);
    if (s == null) {
      boolean guessed = !DidYouMean.closest(name, sets.keySet()).isEmpty();
      throw new InvalidInputException(source, line, "set", "unknown training set '" + name + "'"
          + DidYouMean.hint(name, sets.keySet()) + (guessed ? " (known: " + String.join(", ", sets.keySet()) + ")" : ""));
    }
    return s;
  }

  public boolean has(String name) {
    return sets.containsKey(name);
  }

  public List<String> names() {
    return List.copyOf(sets.keySet());
  }

  private static String resource(String file) {
    try (InputStream in = TrainingSetRegistry.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + ROOT + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
