package org.peftharness.grid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.text.FolderNames;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlFiles;
import org.peftharness.core.yaml.YamlMap;

/**
 * Reads a grid file into a {@link GridSpec}, collecting every structural fault (unknown keys with
 * a did-you-mean, wrong types, missing axes) before failing, each with file, line and field.
 */
public final class GridParser {
  static final Set<String> TOP = Set.of("name", "description", "models", "methods", "tasks", "seeds", "train", "eval",
      "overrides", "data_dir", "models_dir", "train_on", "baselines", "tune");
  static final Set<String> METHOD_KEYS_RESERVED = Set.of("name", "rank", "ranks", "train", "eval", "train_on");
  static final Set<String> WHEN = Set.of("model", "method", "task", "rank");
  static final Set<String> OVERRIDE_KEYS = Set.of("when", "train", "eval");

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
    String text = YamlFiles.read(file, "grid file");
    return read(text, file);
  }

  public static Parsed read(String text, Path file) {
    GridParser p = new GridParser();
    GridSpec spec = p.read(YamlFiles.parse(text, file.toString()), file);
    return new Parsed(spec, List.copyOf(p.errors));
  }

  private GridSpec read(YNode root, Path file) {
    if (!(root instanceof YNode.YMap node)) {
      errors.add(new InvalidInputException(root.source(), root.line(), null, "a grid file is a map (name, models, methods, tasks, seeds, ...)"));
      return null;
    }
    YamlMap top = YamlMap.collecting(node, errors);
    top.allowOnly(TOP);
    String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String name = top.string("name", fileName);
    // the name makes the default results folder runs/<name>: it must stay one folder below runs/
    FolderNames.problem(name).ifPresent(problem -> top.report(top.error("name",
        top.has("name") ? problem : problem + " (a grid without name: takes its file name; add a name:)")));
    String description = top.string("description", "");
    List<String> models = names(top, "models");
    List<String> tasks = names(top, "tasks");
    List<Long> seeds = seeds(top);
    List<MethodEntry> methods = methods(top);
    List<GridOverride> overrides = overrides(top);
    TrainOn trainOn = TrainOn.read(node.entries().get("train_on"), "train_on", errors);
    List<String> baselines = top.has("baselines") ? top.stringOrStrings("baselines") : List.of();
    Tune tune = Tune.read(node.entries().get("tune"), errors);
    return new GridSpec(name, description, file, models, methods, tasks, seeds, node.entries().get("train"),
        node.entries().get("eval"), overrides, trainOn, baselines, top.string("data_dir", null),
        top.string("models_dir", null), tune, node);
  }

  /** A list of names, or one name; not empty, no name twice. */
  private List<String> names(YamlMap top, String key) {
    List<String> out = top.stringOrStrings(key);
    if (top.get(key) instanceof YNode.YList l && l.items().isEmpty()) {
      top.report(top.error(key, "is empty"));
    }
    top.unique(key, out);
    return out;
  }

  private List<Long> seeds(YamlMap top) {
    YNode n = top.require("seeds");
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
      top.report(top.error("seeds", "is empty"));
    }
    top.unique("seeds", out);
    return out;
  }

  private List<MethodEntry> methods(YamlMap top) {
    List<MethodEntry> out = new ArrayList<>();
    YNode n = top.require("methods");
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
        out.add(new MethodEntry(s.value(), List.of(), Map.of(), null, null, null, item));
        continue;
      }
      if (!(item instanceof YNode.YMap node)) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "expected a method name or a map with 'name'"));
        continue;
      }
      YamlMap m = YamlMap.at(node, path, errors);
      if (!m.has("name")) {
        m.require("name");
        continue;
      }
      String name = m.string("name");
      List<Integer> ranks = new ArrayList<>();
      if (m.has("rank") && m.has("ranks")) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "give either rank or ranks, not both"));
      }
      String rankKey = m.has("ranks") ? "ranks" : "rank";
      YNode r = m.get(rankKey);
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
        m.unique(rankKey, ranks);
      }
      Map<String, Object> options = new TreeMap<>();
      for (Map.Entry<String, YNode> o : node.entries().entrySet()) {
        if (METHOD_KEYS_RESERVED.contains(o.getKey())) {
          continue;
        }
        options.put(o.getKey(), plain(o.getValue(), path + "." + o.getKey()));
      }
      out.add(new MethodEntry(name, ranks, options, node.entries().get("train"), node.entries().get("eval"),
          TrainOn.read(node.entries().get("train_on"), path + ".train_on", errors), item));
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
            return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
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

  private List<GridOverride> overrides(YamlMap top) {
    List<GridOverride> out = new ArrayList<>();
    YNode n = top.get("overrides");
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
      if (!(item instanceof YNode.YMap node)) {
        errors.add(new InvalidInputException(item.source(), item.line(), path, "expected a map with when and train/eval"));
        continue;
      }
      YamlMap m = YamlMap.at(node, path, errors);
      m.allowOnly(OVERRIDE_KEYS);
      Map<String, String> when = new LinkedHashMap<>();
      if (!(m.get("when") instanceof YNode.YMap w) || w.entries().isEmpty()) {
        errors.add(new InvalidInputException(item.source(), item.line(), path + ".when", "required: a map of model/method/task/rank to match"));
      } else {
        YamlMap wm = m.map("when");
        for (Map.Entry<String, YNode> c : w.entries().entrySet()) {
          if (!WHEN.contains(c.getKey())) {
            errors.add(new InvalidInputException(c.getValue().source(), c.getValue().line(), wm.field(c.getKey()),
                "unknown condition" + DidYouMean.suggest(c.getKey(), WHEN)));
          } else {
            when.put(c.getKey(), wm.string(c.getKey()));
          }
        }
      }
      out.add(new GridOverride(when, node.entries().get("train"), node.entries().get("eval"), item));
    }
    return out;
  }
}
