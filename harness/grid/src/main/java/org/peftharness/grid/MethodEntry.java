package org.peftharness.grid;

import java.util.List;
import java.util.Map;
import org.peftharness.core.yaml.YNode;

/**
 * A method as a grid lists it: its name, the ranks to sweep (empty for full fine-tuning), its
 * options as given (validated by the method registry), settings that apply to this entry's cells
 * only ({@code train:}, {@code eval:} inside the entry), and where it was written.
 */
public record MethodEntry(String name, List<Integer> ranks, Map<String, Object> options, YNode train, YNode eval, YNode node) {}
