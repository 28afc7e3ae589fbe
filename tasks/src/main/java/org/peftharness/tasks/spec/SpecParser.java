package org.peftharness.tasks.spec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.tasks.metric.MetricName;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.ExampleReader;
import org.peftharness.tasks.read.GlueTsvReader;
import org.peftharness.tasks.read.Gsm8kReader;
import org.peftharness.tasks.read.LlmAdaptersReader;
import org.peftharness.tasks.read.MathReader;
import org.peftharness.tasks.read.MetaMathReader;
import org.peftharness.tasks.read.TsvLayout;
import org.peftharness.tasks.score.Protocol;
import org.peftharness.tasks.score.Protocols;

/** Turns a merged task YAML map into a {@link TaskSpec}, naming file, line and key on every error. */
final class SpecParser {
  private SpecParser() {}

  static final Set<String> KEYS =
      Set.of(
          "name", "version", "description", "kind", "reader", "math_layout", "tsv", "labels", "answers",
          "option_labels", "files", "prompt", "protocols", "metrics", "generator");

  static final List<String> READERS =
      List.of(Gsm8kReader.NAME, MathReader.NAME, MetaMathReader.NAME, LlmAdaptersReader.NAME, GlueTsvReader.NAME);

  static TaskSpec parse(YNode.YMap m) {
    for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
      if (!KEYS.contains(e.getKey())) {
        throw err(e.getValue(), e.getKey(), "unknown key" + DidYouMean.suggest(e.getKey(), KEYS));
      }
    }
    String name = str(m, "name");
    int version = integer(m, "version");
    String description = optStr(m, "description", "");
    TaskKind kind = enumOf(TaskKind.class, m, "kind");
    String readerName = str(m, "reader");
    if (!READERS.contains(readerName)) {
      throw err(m.entries().get("reader"), "reader", "unknown reader '" + readerName + "'" + DidYouMean.suggest(readerName, READERS));
    }

    List<String> labelValues = List.of();
    List<String> labelNames = List.of();
    if (kind == TaskKind.CLASSIFICATION) {
      YNode.YMap labels = map(m, "labels");
      labelValues = strings(labels, "values");
      labelNames = strings(labels, "names");
      if (labelNames.size() != labelValues.size() || labelNames.size() < 2) {
        throw err(labels, "labels", "names and values must be two lists of the same length (at least 2)");
      }
    }

    ExampleReader reader = reader(m, readerName, labelValues);

    Map<Split, String> files = new EnumMap<>(Split.class);
    YNode.YMap f = map(m, "files");
    for (Split s : Split.values()) {
      files.put(s, str(f, s.key()));
    }

    YNode.YMap p = map(m, "prompt");
    String field = optStr(p, "instruction_field", null);
    YNode tNode = p.entries().get("template");
    PromptTemplate eval = PromptTemplate.of(str(p, "template"), field, p.source(), tNode.line());
    String trainName = optStr(p, "train_template", null);
    PromptTemplate train =
        trainName == null ? eval : PromptTemplate.of(trainName, field, p.source(), p.entries().get("train_template").line());
    if (eval.isEncoder() != (kind != TaskKind.GENERATION) || train.isEncoder() != eval.isEncoder()) {
      throw err(tNode, "prompt.template", "the 'encoder' template goes with classification/regression tasks and only with them");
    }

    List<Protocol> protocols = new ArrayList<>();
    if (kind == TaskKind.GENERATION) {
      List<String> optionLabels = m.entries().containsKey("option_labels") ? strings(m, "option_labels") : List.of();
      YNode.YList list = list(m, "protocols");
      for (YNode item : list.items()) {
        protocols.add(Protocols.create(scalar(item, "protocols"), optionLabels, item.source(), item.line()));
      }
      if (protocols.isEmpty()) {
        throw err(list, "protocols", "a generation task needs at least one protocol");
      }
    }

    List<MetricSpec> metrics = new ArrayList<>();
    for (YNode item : list(m, "metrics").items()) {
      if (!(item instanceof YNode.YMap mm)) {
        throw err(item, "metrics", "each metric is a map {name, aggregation, higher_is_better}");
      }
      String mname = str(mm, "name");
      MetricName metric =
          MetricName.of(mname)
              .orElseThrow(() -> err(mm, "name", "unknown metric '" + mname + "'; known: accuracy, mcc, f1, pearson, spearman"));
      String agg = str(mm, "aggregation");
      if (!agg.equals("mean") && !agg.equals("corpus")) {
        throw err(mm.entries().get("aggregation"), "aggregation", "must be 'mean' or 'corpus'");
      }
      boolean hib = bool(mm, "higher_is_better");
      if (kind == TaskKind.REGRESSION != (metric == MetricName.PEARSON || metric == MetricName.SPEARMAN)) {
        throw err(mm, "name", "metric " + mname + " does not fit a " + kind.name().toLowerCase(Locale.ROOT) + " task");
      }
      metrics.add(new MetricSpec(metric, agg, hib));
    }

    GeneratorSpec gen = null;
    if (m.entries().containsKey("generator")) {
      YNode.YMap g = map(m, "generator");
      gen = new GeneratorSpec(str(g, "name"), longValue(g, "seed"), integer(g, "train"), integer(g, "eval"));
    }
    return new TaskSpec(name, version, description, kind, readerName, reader, files, new PromptSpec(train, eval), labelNames, protocols, metrics, gen, m.source());
  }

  private static ExampleReader reader(YNode.YMap m, String readerName, List<String> labelValues) {
    switch (readerName) {
      case Gsm8kReader.NAME:
        return new Gsm8kReader();
      case MetaMathReader.NAME:
        return new MetaMathReader();
      case MathReader.NAME:
        {
          String layout = str(m, "math_layout");
          return switch (layout) {
            case "boxed-solution" -> new MathReader(MathReader.Layout.BOXED_SOLUTION);
            case "answer-field" -> new MathReader(MathReader.Layout.ANSWER_FIELD);
            default -> throw err(m.entries().get("math_layout"), "math_layout", "must be boxed-solution or answer-field");
          };
        }
      case LlmAdaptersReader.NAME:
        return new LlmAdaptersReader(
            m.entries().containsKey("answers") ? new LinkedHashSet<>(strings(m, "answers")) : Set.of());
      default:
        {
          YNode.YMap t = map(m, "tsv");
          String pair = optStr(t, "text_pair", null);
          return new GlueTsvReader(
              new TsvLayout(bool(t, "header"), str(t, "text"), pair, str(t, "label"), labelValues, optBool(t, "rebuild_mrpc_train")));
        }
    }
  }

  // ---- typed access, every failure naming file, line and key ----

  static InvalidInputException err(YNode at, String key, String problem) {
    return new InvalidInputException(at == null ? null : at.source(), at == null ? 0 : at.line(), key, problem);
  }

  private static YNode need(YNode.YMap m, String key) {
    YNode n = m.entries().get(key);
    if (n == null) {
      throw err(m, key, "missing key");
    }
    return n;
  }

  private static String scalar(YNode n, String key) {
    if (!(n instanceof YNode.YScalar s) || s.tag().equals("null")) {
      throw err(n, key, "expected a single value");
    }
    return s.value();
  }

  static String str(YNode.YMap m, String key) {
    return scalar(need(m, key), key);
  }

  static String optStr(YNode.YMap m, String key, String dflt) {
    return m.entries().containsKey(key) ? str(m, key) : dflt;
  }

  static int integer(YNode.YMap m, String key) {
    long v = longValue(m, key);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw err(need(m, key), key, "out of range");
    }
    return (int) v;
  }

  static long longValue(YNode.YMap m, String key) {
    YNode n = need(m, key);
    if (!(n instanceof YNode.YScalar s) || !s.tag().equals("int")) {
      throw err(n, key, "expected an integer");
    }
    try {
      return Long.parseLong(s.value());
    } catch (NumberFormatException e) {
      throw err(n, key, "expected a decimal integer, found '" + s.value() + "'");
    }
  }

  static boolean bool(YNode.YMap m, String key) {
    YNode n = need(m, key);
    if (!(n instanceof YNode.YScalar s) || !s.tag().equals("bool")) {
      throw err(n, key, "expected true or false");
    }
    return Boolean.parseBoolean(s.value().toLowerCase(Locale.ROOT));
  }

  static boolean optBool(YNode.YMap m, String key) {
    return m.entries().containsKey(key) && bool(m, key);
  }

  static YNode.YMap map(YNode.YMap m, String key) {
    YNode n = need(m, key);
    if (!(n instanceof YNode.YMap mm)) {
      throw err(n, key, "expected a map");
    }
    return mm;
  }

  static YNode.YList list(YNode.YMap m, String key) {
    YNode n = need(m, key);
    if (!(n instanceof YNode.YList l)) {
      throw err(n, key, "expected a list");
    }
    return l;
  }

  static List<String> strings(YNode.YMap m, String key) {
    List<String> out = new ArrayList<>();
    for (YNode item : list(m, key).items()) {
      out.add(scalar(item, key));
    }
    return out;
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, YNode.YMap m, String key) {
    String v = str(m, key);
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name().toLowerCase(Locale.ROOT));
      }
      throw err(need(m, key), key, "'" + v + "' is not one of " + names);
    }
  }
}
