package org.peftharness.grid;

import java.util.List;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlMap;

/**
 * What a cell trains on when it is not each task's own training split, as a grid writes it:
 * {@code train_on: metamathqa} or {@code train_on: {set: metamathqa, first: 50000, template: pissa-metamath}}.
 *
 * @param set a named training set (e.g. {@code metamathqa}, {@code commonsense_170k}) or a task,
 *     whose training split is then used
 * @param first the papers' {@code train[:N]} slice: the first N records in file order (after the
 *     shuffle when {@code shuffle}); 0 = all
 * @param shuffle whether the records are shuffled (with the cell's {@code training_set} seed
 *     stream) before the slice is taken
 * @param template the prompt template the training examples are rendered with; null: the set's own
 */
public record TrainOn(String set, int first, boolean shuffle, String template, YNode node) {
  static final Set<String> KEYS = Set.of("set", "first", "shuffle", "template");

  /** Reads {@code train_on:} (a name or a map); null when the key is absent. Faults are collected. */
  static TrainOn read(YNode n, String path, List<InvalidInputException> errors) {
    if (n == null) {
      return null;
    }
    if (n instanceof YNode.YScalar s) {
      return new TrainOn(s.value().trim(), 0, false, null, n);
    }
    if (!(n instanceof YNode.YMap)) {
      errors.add(new InvalidInputException(n.source(), n.line(), path,
          "expected a training set's name or a map {set, first, shuffle, template}"));
      return null;
    }
    YamlMap m = YamlMap.at(n, path, errors);
    m.allowOnly(KEYS);
    if (!m.has("set")) {
      m.require("set");
      return null;
    }
    int first = m.integer("first", 0);
    if (first < 0) {
      m.report(m.error("first", "must be 0 (all records) or a positive count, got " + first));
    }
    return new TrainOn(m.string("set"), Math.max(0, first), m.bool("shuffle", false), m.string("template", null), n);
  }

  /** How the training data is named in labels and rows, e.g. {@code metamathqa[:50000]}. */
  public String label() {
    return set + (first > 0 ? "[:" + first + "]" : "") + (shuffle ? " shuffled" : "");
  }
}
