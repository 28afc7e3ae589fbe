package org.peftharness.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlFiles;

/**
 * Reads a grid file into a {@link GridSpec}, collecting every structural fault (unknown keys with
 * a did-you-mean, wrong types, missing axes) before failing, each with file, line and field.
 */
public final class GridParser {
  static final Set<String> TOP = Set.of("name", "description", "models", "methods", "tasks", "seeds", "train", "eval",
      "overrides", "data_dir", "models_dir");
  static final Set<String> METHOD_KEYS_RESERVED = Set.of("name", "rank", "ranks", "train", "eval");
  static final Set<String> WHEN = Set.of("model", "method", "task", "rank");

  private final List<InvalidInputException> errors = new ArrayList<>();

  private GridParser() {}

  public static GridSpec parse(Path file) {
    Parsed p = read(file);
    if (!p.errors().isEmpty()) {
      throw p.errors().size() == 1 ? p.errors().get(0) : new InvalidInputException.Many(p.errors());
    }
    return p.spec();
  }

  public static GridSpec parse(String text, Path file) {
    Parsed p = read(text, file);
    if (!p.errors().isEmpty()) {
      throw p.errors().size() == 1 ? p.errors().get(0) : new InvalidInputException.Many(p.errors());
    }
    return p.spec();
  }

  /** A spec as far as it could be read, and the faults found; the spec is null only if the file is not a map. */
  public record Parsed(GridSpec spec, List<InvalidInputException> errors) {}

  /** Reads what it can and collects the faults, so semantic checks can add theirs before anything fails. */
  public static Parsed read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, null, "grid file not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
    return read(text, file);
  }

  public static Parsed read(String text, Path file) {
    GridParser p = new GridParser();
    GridSpec spec = p.read(YamlFiles.parse(text, file.toString()), file);
    return new Parsed(spec, List.copyOf(p.errors));
  }

  private GridSpec read(YNode root, Path file) {
    if (!(root instanceof YNode.YMap top)) {
      errors.add(new InvalidInputException(root.source(), root.line(), null, "a grid file is a map (name, models, methods, tasks, seeds, ...)"));
      return null;
    }
    Map<String, YNode> e = top.entries();
    for (Map.Entry<String, YNode> kv : e.entrySet()) {
      if (!TOP.contains(kv.getKey())) {
        errors.add(new InvalidInputException(kv.getValue().source(), kv.getValue().line(), kv.getKey(),
            "unknown key" + DidYouMean.suggest(kv.getKey(), TOP)));
      }
    }
    String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String name = e.containsKey("name") ? string(e.get("name"), "name") : fileName;
    String description = e.containsKey("description") ? string(e.get("description"), "description") : "";
    List<String> models = strings(required(top, "models"), "models");
    List<String> tasks = strings(required(top, "tasks"), "tasks");
    List<Long> seeds = seeds(required(top, "seeds"));
    List<MethodEntry> methods = methods(required(top, "methods"));
    List<GridOverride> overrides = overrides(e.get("overrides"));
    String dataDir = e.containsKey("data_dir") ? string(e.get("data_dir"), "data_dir") : null;
    String modelsDir = e.containsKey("models_dir") ? string(e.get("models_dir"), "models_dir") : null;
    return new GridSpec(name, description, file, models, methods, tasks, seeds, e.get("train"), e.get("eval"), overrides,
        dataDir, modelsDir, top);
  }

  private YNode required(YNode.YMap map, String key) {
    YNode n = map.entries().get(key);
    if (n == null) {
      errors.add(new InvalidInputException(map.source(), map.line(), key, "required key is missing"));
    }
    return n;
  }

  private String string(YNode n, String path) {
    if (n instanceof YNode.YScalar s && !s.tag().equals("null")) {
      return s.value();
    }
    errors.add(new InvalidInputException(n.source(), n.line(), path, "expected a string"));
    return "";
  }

  /** A list of strings, or one string. */
  private List<String> strings(YNode n, String path) {
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n instanceof YNode.YScalar) {
      out.add(string(n, path));
    } else if (n instanceof YNode.YList l) {
      for (int i = 0; i < l.items().size(); i++) {
        out.add(string(l.items().get(i), path + "[" + i + "]"));
      }
    } else {
      errors.add(new InvalidInputException(n.source(), n.line(), path, "expected a list of names"));
    }
    if (n instanceof YNode.YList l && l.items().isEmpty()) {
      errors.add(new InvalidInputException(n.source(), n.line(), path, "is empty"));
    }
    duplicates(out, n, path);
    return out;
  }

  private void duplicates(List<?> values, YNode n, String path) {
    Set<Object> seen = new java.util.HashSet<>();
    for (Object v : values) {
      if (!seen.add(v)) {
        errors.add(new InvalidInputException(n.source(), n.line(), path, "lists '" + v + "' twice"));
      }
    }
  }

  private List<Long> seeds(YNode n) {
    List<Long> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    List<YNode> items = n instanceof YNode.YList l ? l.items() : List.of(n);
    for (int i = 0; i < items.size(); i++) {
      YNode item = items.get(i);
      String path = n instanceof YNode.YList ? "seeds[" + i + "]" : "seeds";
      try {
        if (!(item instanceof YNode.YScalar s)) {
          throw new NumberFormatException();
        }
        out.add(Long.parseLong(s.value().trim()));
      } catch (NumberFormatException ex) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "a seed is an integer"));
      }
    }
    if (items.isEmpty()) {
      errors.add(new InvalidInputException(n.source(), n.line(), "seeds", "is empty"));
    }
    duplicates(out, n, "seeds");
    return out;
  }

  private List<MethodEntry> methods(YNode n) {
    List<MethodEntry> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!(n instanceof YNode.YList list) || list.items().isEmpty()) {
      errors.add(new InvalidInputException(n.source(), n.line(), "methods", "expected a non-empty list of methods"));
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      YNode item = list.items().get(i);
      String path = "methods[" + i + "]";
      if (item instanceof YNode.YScalar s) {
        out.add(new MethodEntry(s.value(), List.of(), Map.of(), null, null, item));
        continue;
      }
      if (!(item instanceof YNode.YMap m)) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "expected a method name or a map with 'name'"));
        continue;
      }
      YNode nameNode = m.entries().get("name");
      if (nameNode == null) {
        errors.add(new InvalidInputException(item.source(), item.line(), path + ".name", "required key is missing"));
        continue;
      }
      String name = string(nameNode, path + ".name");
      List<Integer> ranks = new ArrayList<>();
      if (m.entries().containsKey("rank") && m.entries().containsKey("ranks")) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "give either rank or ranks, not both"));
      }
      YNode r = m.entries().containsKey("ranks") ? m.entries().get("ranks") : m.entries().get("rank");
      if (r != null) {
        List<YNode> rs = r instanceof YNode.YList rl ? rl.items() : List.of(r);
        for (YNode rn : rs) {
          try {
            int v = Integer.parseInt(((YNode.YScalar) rn).value().trim());
            if (v < 1) {
              throw new NumberFormatException();
            }
            ranks.add(v);
          } catch (RuntimeException ex) {
            errors.add(new InvalidInputException(rn.source(), rn.line(), path + ".ranks", "a rank is a positive integer"));
          }
        }
        duplicates(ranks, r, path + ".ranks");
      }
      Map<String, Object> options = new TreeMap<>();
      for (Map.Entry<String, YNode> o : m.entries().entrySet()) {
        if (METHOD_KEYS_RESERVED.contains(o.getKey())) {
          continue;
        }
        options.put(o.getKey(), plain(o.getValue(), path + "." + o.getKey()));
      }
      out.add(new MethodEntry(name, ranks, options, m.entries().get("train"), m.entries().get("eval"), item));
    }
    return out;
  }

  /** A method option's value as plain typed data (number, boolean, string, list) for the registry to interpret. */
  private Object plain(YNode n, String path) {
    if (n instanceof YNode.YScalar s) {
      String v = s.value().trim();
      try {
        switch (s.tag()) {
          case "int":
            return Long.parseLong(v.replace("_", ""));
          case "float":
            return Double.parseDouble(v);
          case "bool":
            return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
          case "null":
            return null;
          default:
            return s.value();
        }
      } catch (NumberFormatException e) {
        return s.value();
      }
    }
    if (n instanceof YNode.YList l) {
      List<Object> out = new ArrayList<>();
      l.items().forEach(i -> out.add(plain(i, path)));
      return out;
    }
    errors.add(new InvalidInputException(n.source(), n.line(), path, "expected a value or a list"));
    return "";
  }

  private List<GridOverride> overrides(YNode n) {
    List<GridOverride> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (!(n instanceof YNode.YList list)) {
      errors.add(new InvalidInputException(n.source(), n.line(), "overrides", "expected a list of {when: ..., train: ..., eval: ...}"));
      return out;
    }
    for (int i = 0; i < list.items().size(); i++) {
      YNode item = list.items().get(i);
      String path = "overrides[" + i + "]";
      if (!(item instanceof YNode.YMap m)) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "expected a map with when and train/eval"));
        continue;
      }
      for (Map.Entry<String, YNode> kv : m.entries().entrySet()) {
        if (!Set.of("when", "train", "eval").contains(kv.getKey())) {
          errors.add(new InvalidInputException(kv.getValue().source(), kv.getValue().line(), path + "." + kv.getKey(),
              "unknown key" + DidYouMean.suggest(kv.getKey(), Set.of("when", "train", "eval"))));
        }
      }
      Map<String, String> when = new LinkedHashMap<>();
      YNode w = m.entries().get("when");
      if (!(w instanceof YNode.YMap wm) || wm.entries().isEmpty()) {
        errors.add(new InvalidInputException(item.source(), item.line(), path + ".when", "required: a map of model/method/task/rank to match"));
      } else {
        for (Map.Entry<String, YNode> c : wm.entries().entrySet()) {
          if (!WHEN.contains(c.getKey())) {
            errors.add(new InvalidInputException(c.getValue().source(), c.getValue().line(), path + ".when." + c.getKey(),
                "unknown condition" + DidYouMean.suggest(c.getKey(), WHEN)));
          } else {
            when.put(c.getKey(), string(c.getValue(), path + ".when." + c.getKey()));
          }
        }
      }
      out.add(new GridOverride(when, m.entries().get("train"), m.entries().get("eval"), item));
    }
    return out;
  }
}
