package org.peftharness.ci.baseline;

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
import org.peftharness.core.yaml.YNode.YMap;
import org.peftharness.core.yaml.YNode.YScalar;
import org.peftharness.core.yaml.YamlFiles;
import org.peftharness.core.yaml.YamlMap;
import org.peftharness.results.baseline.ReferencePoint;

/**
 * Reads baseline files (YAML; schema in {@code ci/README.md}). Every fault is an {@link
 * InvalidInputException} naming file, line and field: unknown keys (with a did-you-mean), wrong
 * types, missing required keys, bad values, duplicate entries.
 */
public final class Baselines {
  private Baselines() {}

  static final Set<String> TOP_KEYS = Set.of("baseline", "description", "note", "defaults", "entries");
  static final Set<String> ENTRY_KEYS = Set.of("model", "task", "method", "rank", "metric", "protocol", "value", "std",
      "seeds", "n", "scale", "rule", "tolerance", "direction", "aggregate", "source", "verified", "trainable_params", "label",
      "note");
  /** Per-entry facts cannot be defaults. */
  static final Set<String> DEFAULT_KEYS = Set.of("model", "task", "method", "metric", "protocol", "seeds", "n", "scale",
      "rule", "tolerance", "direction", "aggregate", "source", "verified", "label", "note");
  static final Set<String> TOLERANCE_KEYS = Set.of("absolute", "stds");

  public static BaselineFile read(Path file) {
    String text = YamlFiles.read(file, "baseline file");
    return parse(text, file.toString());
  }

  public static List<BaselineFile> readAll(List<Path> files) {
    if (files.isEmpty()) {
      throw new InvalidInputException("arguments", 0, "--baselines", "no baseline file given");
    }
    return files.stream().map(Baselines::read).toList();
  }

  public static BaselineFile parse(String text, String source) {
    YamlMap top = YamlMap.at(YamlFiles.parse(text, source), "", null);
    top.allowOnly(TOP_KEYS);
    String name = top.string("baseline");
    String description = top.string("description", null);
    String note = top.string("note", null);
    YamlMap defaults = top.optionalMap("defaults");
    if (defaults != null) {
      defaults.allowOnly(DEFAULT_KEYS);
    }
    List<YNode> items = top.list("entries");
    if (items.isEmpty()) {
      throw top.error("entries", "is empty");
    }
    List<BaselineEntry> entries = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String where = "entries[" + i + "]";
      YamlMap e = YamlMap.at(items.get(i), where, null);
      e.allowOnly(ENTRY_KEYS);
      Map<String, YNode> merged = new LinkedHashMap<>();
      if (defaults != null) {
        merged.putAll(defaults.node().entries());
      }
      merged.putAll(e.node().entries());
      BaselineEntry b = entry(YamlMap.at(new YMap(merged, e.source(), e.line()), where, null), source);
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

  private static BaselineEntry entry(YamlMap m, String source) {
    Integer rank = m.has("rank") ? m.positiveInteger("rank") : null;
    double scale = m.number("scale", 1.0);
    if (!(scale > 0)) {
      throw m.error("scale", "must be positive (100 when the file's numbers are percent)");
    }
    Rule rule = m.has("rule") ? m.enumOf(Rule.class, "rule") : Rule.TOLERANCE;
    Double absolute = null;
    Double stds = null;
    // the noise rule forms its band from the data, so only an entry under the tolerance rule must give one
    if (rule == Rule.TOLERANCE || m.has("tolerance")) {
      YamlMap tol = m.map("tolerance");
      tol.allowOnly(TOLERANCE_KEYS);
      absolute = tol.has("absolute") ? tol.nonNegative("absolute") : null;
      stds = tol.has("stds") ? tol.nonNegative("stds") : null;
      if (absolute == null && stds == null) {
        throw m.error("tolerance", "needs absolute (in the value's units) or stds (seed standard deviations), or both");
      }
    }
    Double std = m.has("std") ? m.nonNegative("std") : null;
    Integer seeds = m.has("seeds") ? m.positiveInteger("seeds") : null;
    if (seeds != null && seeds < 2 && std != null) {
      throw m.error("seeds", "a std over seeds needs at least 2 of them; leave seeds out when the count is not known");
    }
    Integer examples = m.has("n") ? m.positiveInteger("n") : null;
    String metric = m.string("metric");
    if (examples != null && !metric.equalsIgnoreCase("accuracy")) {
      throw m.error("n", "the example count gives a binomial standard error, which only an accuracy has (metric is "
          + metric + "); give std and seeds instead");
    }
    Boolean higher = null;
    if (m.has("direction")) {
      String d = m.string("direction");
      higher = switch (d) {
        case "higher", "higher-is-better" -> true;
        case "lower", "lower-is-better" -> false;
        default -> throw m.error("direction", "'" + d + "' is not higher or lower" + DidYouMean.suggest(d, List.of("higher", "lower")));
      };
    }
    BaselineEntry.Aggregate agg = m.has("aggregate") ? m.enumOf(BaselineEntry.Aggregate.class, "aggregate")
        : BaselineEntry.Aggregate.MEAN;
    Long params = m.has("trainable_params") ? params(m.get("trainable_params"), m.field("trainable_params")) : null;
    return new BaselineEntry(source, m.line(), m.string("model"), m.string("task"), m.string("method"), rank, metric,
        m.string("protocol", null), m.number("value"), std, seeds, examples, scale, rule, absolute, stds, higher, agg,
        m.string("source"), m.bool("verified"), params, m.string("label", null), m.string("note", null));
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
    throw new InvalidInputException(n.source(), n.line(), field,
        "expected a parameter count such as 2162000, 2162K or 83.88M, got " + YamlMap.describe(n));
  }
}
