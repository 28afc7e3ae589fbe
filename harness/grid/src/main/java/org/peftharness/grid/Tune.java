package org.peftharness.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.yaml.YNode;
import org.peftharness.core.yaml.YamlMap;

/**
 * A grid's {@code tune:} block, e.g. {@code tune: {over: [lr], seeds: [1]}}: the train-setting
 * sweeps that are tuned on held-out validation rather than reported as separate configurations,
 * and the seeds the sweep runs with. Every other seed of the grid then trains once, at the point
 * whose mean validation score over these seeds is best (see {@link TunedCells}).
 *
 * @param over train settings swept in the grid (lists), chosen on validation
 * @param seeds the seeds every sweep point runs with; the grid's other seeds run at the chosen point only
 */
public record Tune(List<String> over, List<Long> seeds, YNode node) {
  static final Set<String> KEYS = Set.of("over", "seeds");

  /** Reads {@code tune:}; null when the key is absent. Faults are collected. */
  static Tune read(YNode n, List<InvalidInputException> errors) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof YNode.YMap)) {
      errors.add(new InvalidInputException(n.source(), n.line(), "tune", "expected a map {over: [train settings], seeds: [seeds]}"));
      return null;
    }
    YamlMap m = YamlMap.at(n, "tune", errors);
    m.allowOnly(KEYS);
    if (!m.has("over") || !m.has("seeds")) {
      m.require("over");
      m.require("seeds");
      return null;
    }
    List<String> over = m.stringOrStrings("over");
    List<Long> seeds = new ArrayList<>();
    for (String s : m.stringOrStrings("seeds")) {
      try {
        seeds.add(Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        m.report(m.error("seeds", "a seed is an integer, got '" + s + "'"));
      }
    }
    return new Tune(List.copyOf(over), List.copyOf(seeds), n);
  }
}
