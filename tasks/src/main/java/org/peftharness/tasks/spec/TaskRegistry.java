package org.peftharness.tasks.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlFiles;
import org.peftharness.core.yaml.YamlMap;

/**
 * The built-in tasks, read from the YAML resources under {@code org/peftharness/tasks/specs/}.
 * {@code tasks.list} names them (a jar cannot be listed portably); files starting with
 * {@code _} are shared parts pulled in with {@code include:}.
 */
public final class TaskRegistry {
  static final String ROOT = "org/peftharness/tasks/specs/";

  private final Map<String, TaskSpec> tasks;

  private TaskRegistry(Map<String, TaskSpec> tasks) {
    this.tasks = tasks;
  }

  private static volatile TaskRegistry builtin;

  /** Every built-in task, parsed once (a broken resource fails here, at the first use). */
  public static TaskRegistry builtin() {
    TaskRegistry r = builtin;
    if (r == null) {
      synchronized (TaskRegistry.class) {
        if (builtin == null) {
          builtin = load();
        }
        r = builtin;
      }
    }
    return r;
  }

  private static TaskRegistry load() {
    Map<String, TaskSpec> m = new LinkedHashMap<>();
    for (String line : resource("tasks.list").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      TaskSpec spec = parseResource(name + ".yaml");
      if (!spec.name().equals(name)) {
        throw new IllegalStateException(ROOT + name + ".yaml declares name '" + spec.name() + "'");
      }
      m.put(name, spec);
    }
    return new TaskRegistry(m);
  }

  /** The task of that name; an unknown name is an input error with the closest names. */
  public TaskSpec get(String name) {
    TaskSpec t = tasks.get(name);
    if (t == null) {
      throw new InvalidInputException(
          "argument task", 0, null, "unknown task '" + name + "'" + DidYouMean.hint(name, tasks.keySet()));
    }
    return t;
  }

  public List<String> names() {
    return List.copyOf(tasks.keySet());
  }

  public List<TaskSpec> all() {
    return List.copyOf(tasks.values());
  }

  /** Parses one task file from the classpath, following {@code include:} chains. */
  static TaskSpec parseResource(String file) {
    return SpecParser.parse(resolve(file, new HashSet<>()));
  }

  /** Parses a task file given as text (for task files outside the jar, and for tests). */
  public static TaskSpec parse(String yaml, String source) {
    YNode root = YamlFiles.parse(yaml, source);
    return SpecParser.parse(withIncludes(root, source, new HashSet<>()));
  }

  private static YNode.YMap resolve(String file, Set<String> seen) {
    if (!seen.add(file)) {
      throw new InvalidInputException(ROOT + file, 0, "include", "include cycle through " + seen);
    }
    return withIncludes(YamlFiles.parse(resource(file), ROOT + file), ROOT + file, seen);
  }

  private static YNode.YMap withIncludes(YNode root, String source, Set<String> seen) {
    if (!(root instanceof YNode.YMap m)) {
      throw new InvalidInputException(source, root.line(), null, "a task file is a map of keys");
    }
    YNode inc = m.entries().get("include");
    if (inc == null) {
      return m;
    }
    YamlMap yaml = YamlMap.of(m);
    List<String> parents = yaml.has("include") ? yaml.stringOrStrings("include") : List.of();
    Map<String, YNode> own = new LinkedHashMap<>(m.entries());
    own.remove("include");
    YNode.YMap merged = null;
    for (String p : parents) {
      YNode.YMap pm;
      try {
        pm = resolve(p, new HashSet<>(seen));
      } catch (MissingResource e) {
        throw new InvalidInputException(source, inc.line(), "include", "no such task file: " + p);
      }
      merged = merged == null ? pm : YamlFiles.merge(merged, pm);
    }
    YNode.YMap self = new YNode.YMap(own, m.source(), m.line());
    return merged == null ? self : YamlFiles.merge(merged, self);
  }

  private static final class MissingResource extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingResource(String name) {
      super(name);
    }
  }

  private static String resource(String file) {
    try (InputStream in = TaskRegistry.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new MissingResource(file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
