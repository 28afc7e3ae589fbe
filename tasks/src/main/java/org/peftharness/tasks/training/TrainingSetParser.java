package org.peftharness.tasks.training;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlMap;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.ExampleReader;
import org.peftharness.tasks.read.LlmAdaptersReader;
import org.peftharness.tasks.read.MetaMathReader;

/** Turns a training-set YAML map into a {@link TrainingSet}, naming file, line and key on every error. */
final class TrainingSetParser {
  private TrainingSetParser() {}

  static final Set<String> KEYS = Set.of("name", "version", "description", "reader", "answers", "file", "prompt", "source");

  /** The readers of training mixes: JSON files whose records carry the reference output. */
  static final List<String> READERS = List.of(MetaMathReader.NAME, LlmAdaptersReader.NAME);

  static TrainingSet parse(YNode.YMap node) {
    YamlMap m = YamlMap.of(node);
    m.allowOnly(KEYS);
    String readerName = m.choice("reader", READERS);
    ExampleReader reader = readerName.equals(MetaMathReader.NAME)
        ? new MetaMathReader()
        : new LlmAdaptersReader(m.has("answers") ? new LinkedHashSet<>(m.strings("answers")) : Set.of());

    YamlMap p = m.map("prompt");
    p.allowOnly(Set.of("instruction_field", "template", "templates"));
    String field = p.string("instruction_field");
    List<String> templates = p.strings("templates");
    p.unique("templates", templates);
    List<YNode> items = p.list("templates");
    for (int i = 0; i < items.size(); i++) {
      if (PromptTemplate.of(templates.get(i), field, p.source(), items.get(i).line()).isEncoder()) {
        throw p.error("templates", "a training set renders prompts for a decoder; 'encoder' is not one");
      }
    }
    String defaultTemplate = p.string("template");
    if (!templates.contains(defaultTemplate)) {
      throw p.error("template", "'" + defaultTemplate + "' is not one of the set's templates " + templates);
    }
    return new TrainingSet(m.string("name"), m.integer("version"), m.string("description", ""), readerName, reader,
        m.string("file"), field, defaultTemplate, templates, m.string("source"));
  }
}
