package org.peftharness.ci.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YNode.YList;
import org.peftharness.core.yaml.YNode.YMap;
import org.peftharness.core.yaml.YNode.YScalar;
import org.peftharness.core.yaml.YamlFiles;
import org.peftharness.reports.ReferencePoint;

/**
 * Reads baseline files (YAML; schema in {@code ci/README.md}). Every fault is an {@link
 * InvalidInputException} naming file, line and field: unknown keys (with a did-you-mean), wrong
 * types, missing required keys, bad values, duplicate entries.
 */
public final class Baselines {
  private Baselines() {}

  static final Set<String> TOP_KEYS = Set.of("baseline", "description", "note", "defaults", "entries");
  static final Set<String> ENTRY_KEYS = Set.of("model", "task", "method", "rank", "metric", "protocol", "value", "std",
      "scale", "tolerance", "direction", "aggregate", "source", "verified", "trainable_params", "label", "note");
  /** Per-entry facts cannot be defaults. */
  static final Set<String> DEFAULT_KEYS = Set.of("model", "task", "method", "metric", "protocol", "scale", "tolerance",
      "direction", "aggregate", "source", "verified", "label", "note");
  static final Set<String> TOLERANCE_KEYS = Set.of("absolute", "stds");

  public static BaselineFile read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, null, "baseline file not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static List<BaselineFile> readAll(List<Path> files) {
    if (files.isEmpty()) {
      throw new InvalidInputException("arguments", 0, "--baselines", "no baseline file given");
    }
    return files.stream().map(Baselines::read).toList();
  }

  public static BaselineFile parse(String text, String source) {
    YNode root = YamlFiles.parse(text, source);
    YMap top = map(root, "the file");
    keys(top, TOP_KEYS, null);
    String name = str(required(top, "baseline", null), "baseline");
    String description = optStr(top, "description");
    String note = optStr(top, "note");
    YMap defaults = top.entries().containsKey("defaults") ? map(top.entries().get("defaults"), "defaults") : null;
    if (defaults != null) {
      keys(defaults, DEFAULT_KEYS, "defaults");
    }
    YNode entriesNode = required(top, "entries", null);
    if (!(entriesNode instanceof YList list)) {
      throw err(entriesNode, "entries", "expected a list of entries");
    }
    if (list.items().isEmpty()) {
      throw err(entriesNode, "entries", "is empty");
    }
    List<BaselineEntry> entries = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String where = "entries[" + i + "]";
      YMap e = map(list.items().get(i), where);
      keys(e, ENTRY_KEYS, where);
      Map<String, YNode> merged = new LinkedHashMap<>();
      if (defaults != null) {
        merged.putAll(defaults.entries());
      }
      merged.putAll(e.entries());
      BaselineEntry b = entry(new YMap(merged, e.source(), e.line()), where, source);
      String key = (b.model() + "|" + b.task() + "|" + b.method() + "|" + b.rank() + "|" + b.metric() + "|" + b.protocol())
          .toLowerCase(Locale.ROOT);
      Integer prev = seen.putIfAbsent(key, e.line());
      if (prev != null) {
        throw new InvalidInputException(source, e.line(), where, "duplicate of the entry at line " + prev + " ("
            + b.describe() + ")");
      }
      entries.add(b);
    }
    return new BaselineFile(source, name, description, note, entries);
  }

  private static BaselineEntry entry(YMap m, String where, String source) {
    String model = str(required(m, "model", where), where + ".model");
    String task = str(required(m, "task", where), where + ".task");
    String method = str(required(m, "method", where), where + ".method");
    Integer rank = m.entries().containsKey("rank") ? positiveInt(m.entries().get("rank"), where + ".rank") : null;
    String metric = str(required(m, "metric", where), where + ".metric");
    String protocol = optStr(m, "protocol");
    double value = number(required(m, "value", where), where + ".value");
    Double std = m.entries().containsKey("std") ? nonNegative(m.entries().get("std"), where + ".std") : null;
    double scale = m.entries().containsKey("scale") ? number(m.entries().get("scale"), where + ".scale") : 1.0;
    if (!(scale > 0)) {
      throw err(m.entries().get("scale"), where + ".scale", "must be positive (100 when the file's numbers are percent)");
    }
    YNode tolNode = required(m, "tolerance", where);
    YMap tol = map(tolNode, where + ".tolerance");
    keys(tol, TOLERANCE_KEYS, where + ".tolerance");
    Double absolute = tol.entries().containsKey("absolute")
        ? nonNegative(tol.entries().get("absolute"), where + ".tolerance.absolute") : null;
    Double stds = tol.entries().containsKey("stds") ? nonNegative(tol.entries().get("stds"), where + ".tolerance.stds") : null;
    if (absolute == null && stds == null) {
      throw err(tol, where + ".tolerance", "needs absolute (in the value's units) or stds (seed standard deviations), or both");
    }
    Boolean higher = null;
    if (m.entries().containsKey("direction")) {
      String d = str(m.entries().get("direction"), where + ".direction");
      higher = switch (d) {
        case "higher", "higher-is-better" -> true;
        case "lower", "lower-is-better" -> false;
        default -> throw err(m.entries().get("direction"), where + ".direction",
            "'" + d + "' is not higher or lower" + DidYouMean.suggest(d, List.of("higher", "lower")));
      };
    }
    BaselineEntry.Aggregate agg = BaselineEntry.Aggregate.MEAN;
    if (m.entries().containsKey("aggregate")) {
      String a = str(m.entries().get("aggregate"), where + ".aggregate");
      agg = switch (a) {
        case "mean" -> BaselineEntry.Aggregate.MEAN;
        case "median" -> BaselineEntry.Aggregate.MEDIAN;
        default -> throw err(m.entries().get("aggregate"), where + ".aggregate",
            "'" + a + "' is not mean or median" + DidYouMean.suggest(a, List.of("mean", "median")));
      };
    }
    String src = str(required(m, "source", where), where + ".source");
    boolean verified = bool(required(m, "verified", where), where + ".verified");
    Long params = m.entries().containsKey("trainable_params")
        ? params(m.entries().get("trainable_params"), where + ".trainable_params") : null;
    return new BaselineEntry(source, m.line(), model, task, method, rank, metric, protocol, value, std, scale, absolute,
        stds, higher, agg, src, verified, params, optStr(m, "label"), optStr(m, "note"));
  }

  /** Published numbers of the files, on the harness's scale, for drawing beside measured points. */
  public static List<ReferencePoint> referencePoints(List<BaselineFile> files) {
    List<ReferencePoint> out = new ArrayList<>();
    for (BaselineFile f : files) {
      for (BaselineEntry e : f.entries()) {
        out.add(new ReferencePoint(e.model(), e.task(), e.method(), e.rank(), e.metric(), e.protocol(), e.trainableParams(),
            e.expected(), e.label() == null ? f.name() : e.label(), e.source(), e.verified()));
      }
    }
    return out;
  }

  /** Reads the files and returns their points: what {@code harness report --baselines} passes on. */
  public static List<ReferencePoint> loadReferencePoints(List<Path> files) {
    return files.isEmpty() ? List.of() : referencePoints(readAll(files));
  }

  // ---- typed access with file:line:field errors

  private static InvalidInputException err(YNode n, String field, String problem) {
    return new InvalidInputException(n.source(), n.line(), field, problem);
  }

  private static void keys(YMap m, Set<String> known, String where) {
    for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
      if (!known.contains(e.getKey())) {
        String field = where == null ? e.getKey() : where + "." + e.getKey();
        throw err(e.getValue(), field, "unknown key '" + e.getKey() + "'" + DidYouMean.suggest(e.getKey(),
            known.stream().sorted().toList()));
      }
    }
  }

  private static YNode required(YMap m, String key, String where) {
    YNode n = m.entries().get(key);
    if (n == null || (n instanceof YScalar s && s.tag().equals("null"))) {
      throw new InvalidInputException(m.source(), m.line(), where == null ? key : where + "." + key,
          "required key is missing");
    }
    return n;
  }

  private static YMap map(YNode n, String field) {
    if (n instanceof YMap m) {
      return m;
    }
    throw err(n, field, "expected a mapping (key: value), got " + kind(n));
  }

  private static String kind(YNode n) {
    if (n instanceof YList) {
      return "a list";
    }
    if (n instanceof YMap) {
      return "a mapping";
    }
    YScalar s = (YScalar) n;
    return s.tag().equals("null") ? "nothing" : "'" + s.value() + "'";
  }

  private static String str(YNode n, String field) {
    if (n instanceof YScalar s && !s.tag().equals("null") && !s.value().isBlank()) {
      return s.value();
    }
    throw err(n, field, "expected a non-empty text, got " + kind(n));
  }

  private static String optStr(YMap m, String key) {
    YNode n = m.entries().get(key);
    return n == null || (n instanceof YScalar s && s.tag().equals("null")) ? null : str(n, key);
  }

  private static double number(YNode n, String field) {
    if (n instanceof YScalar s && (s.tag().equals("int") || s.tag().equals("float"))) {
      try {
        double v = Double.parseDouble(s.value().replace("_", ""));
        if (Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw err(n, field, "expected a number, got " + kind(n));
  }

  private static double nonNegative(YNode n, String field) {
    double v = number(n, field);
    if (v < 0) {
      throw err(n, field, "must not be negative, got " + v);
    }
    return v;
  }

  private static int positiveInt(YNode n, String field) {
    if (n instanceof YScalar s && s.tag().equals("int")) {
      try {
        int v = Integer.parseInt(s.value());
        if (v > 0) {
          return v;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw err(n, field, "expected a positive integer, got " + kind(n));
  }

  private static boolean bool(YNode n, String field) {
    if (n instanceof YScalar s && s.tag().equals("bool")) {
      return Boolean.parseBoolean(s.value().toLowerCase(Locale.ROOT));
    }
    throw err(n, field, "expected true or false, got " + kind(n));
  }

  /** 2162000, or the papers' "2162K", "83.88M", "1.2B". */
  private static long params(YNode n, String field) {
    if (n instanceof YScalar s && !s.tag().equals("null")) {
      String v = s.value().trim().replace("_", "").replace(",", "");
      double mult = 1;
      char last = v.isEmpty() ? ' ' : Character.toUpperCase(v.charAt(v.length() - 1));
      if (last == 'K' || last == 'M' || last == 'B') {
        mult = last == 'K' ? 1e3 : last == 'M' ? 1e6 : 1e9;
        v = v.substring(0, v.length() - 1);
      }
      try {
        double d = Double.parseDouble(v) * mult;
        if (d > 0 && d < 1e15) {
          return Math.round(d);
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw err(n, field, "expected a parameter count such as 2162000, 2162K or 83.88M, got " + kind(n));
  }
}
