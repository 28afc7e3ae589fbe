package org.peftharness.tasks.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlMap;
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

  static final List<String> METRICS = Arrays.stream(MetricName.values()).map(MetricName::id).toList();

  static final List<String> READERS =
      List.of(Gsm8kReader.NAME, MathReader.NAME, MetaMathReader.NAME, LlmAdaptersReader.NAME, GlueTsvReader.NAME);

  static TaskSpec parse(YNode.YMap node) {
    YamlMap m = YamlMap.of(node);
    m.allowOnly(KEYS);
    String name = m.string("name");
    int version = m.integer("version");
    String description = m.string("description", "");
    TaskKind kind = m.enumOf(TaskKind.class, "kind");
    String readerName = m.choice("reader", READERS);

    List<String> labelValues = List.of();
    List<String> labelNames = List.of();
    if (kind == TaskKind.CLASSIFICATION) {
      YamlMap labels = m.map("labels");
      labelValues = labels.strings("values");
      labelNames = labels.strings("names");
      if (labelNames.size() != labelValues.size() || labelNames.size() < 2) {
        throw m.error("labels", "names and values must be two lists of the same length (at least 2)");
      }
    }

    ExampleReader reader = reader(m, readerName, labelValues);

    Map<Split, String> files = new EnumMap<>(Split.class);
    YamlMap f = m.map("files");
    for (Split s : Split.values()) {
      files.put(s, f.string(s.key()));
    }

    YamlMap p = m.map("prompt");
    String field = p.string("instruction_field", null);
    PromptTemplate eval = PromptTemplate.of(p.string("template"), field, p.source(), p.get("template").line());
    String trainName = p.string("train_template", null);
    PromptTemplate train = trainName == null ? eval : PromptTemplate.of(trainName, field, p.source(), p.get("train_template").line());
    if (eval.isEncoder() != (kind != TaskKind.GENERATION) || train.isEncoder() != eval.isEncoder()) {
      throw p.error("template", "the 'encoder' template goes with classification/regression tasks and only with them");
    }

    List<Protocol> protocols = new ArrayList<>();
    if (kind == TaskKind.GENERATION) {
      List<String> optionLabels = m.has("option_labels") ? m.strings("option_labels") : List.of();
      List<YNode> items = m.list("protocols");
      for (int i = 0; i < items.size(); i++) {
        YNode item = items.get(i);
        protocols.add(Protocols.create(m.text(item, "protocols[" + i + "]"), optionLabels, item.source(), item.line()));
      }
      if (protocols.isEmpty()) {
        throw m.error("protocols", "a generation task needs at least one protocol");
      }
    }

    List<MetricSpec> metrics = new ArrayList<>();
    for (YamlMap mm : m.maps("metrics")) {
      String mname = mm.string("name");
      MetricName metric = MetricName.of(mname).orElseThrow(() -> mm.error("name",
          "unknown metric '" + mname + "'" + DidYouMean.suggest(mname, METRICS)));
      String agg = mm.choice("aggregation", List.of("mean", "corpus"));
      boolean hib = mm.bool("higher_is_better");
      if (kind == TaskKind.REGRESSION != (metric == MetricName.PEARSON || metric == MetricName.SPEARMAN)) {
        throw mm.error("name", "metric " + mname + " does not fit a " + kind.name().toLowerCase(Locale.ROOT) + " task");
      }
      metrics.add(new MetricSpec(metric, agg, hib));
    }

    GeneratorSpec gen = null;
    YamlMap g = m.optionalMap("generator");
    if (g != null) {
      gen = new GeneratorSpec(g.string("name"), g.longValue("seed"), g.integer("train"), g.integer("eval"));
    }
    return new TaskSpec(name, version, description, kind, readerName, reader, files, new PromptSpec(train, eval), labelNames, protocols, metrics, gen, m.source());
  }

  private static ExampleReader reader(YamlMap m, String readerName, List<String> labelValues) {
    return switch (readerName) {
      case Gsm8kReader.NAME -> new Gsm8kReader();
      case MetaMathReader.NAME -> new MetaMathReader();
      case MathReader.NAME -> switch (m.choice("math_layout", List.of("boxed-solution", "answer-field"))) {
        case "answer-field" -> new MathReader(MathReader.Layout.ANSWER_FIELD);
        default -> new MathReader(MathReader.Layout.BOXED_SOLUTION);
      };
      case LlmAdaptersReader.NAME -> new LlmAdaptersReader(m.has("answers") ? new LinkedHashSet<>(m.strings("answers")) : Set.of());
      default -> {
        YamlMap t = m.map("tsv");
        yield new GlueTsvReader(new TsvLayout(t.bool("header"), t.string("text"), t.string("text_pair", null), t.string("label"),
            labelValues, t.bool("rebuild_mrpc_train", false)));
      }
    };
  }
}
