package org.peftharness.grid;

import java.util.List;
import java.util.Map;
import org.peftharness.core.yaml.YNode;

/**
 * A method as a grid lists it: its name, the ranks to sweep (empty for full fine-tuning), its
 * options as given (validated by the method registry), settings that apply to this entry's cells
 * only ({@code train:}, {@code eval:} inside the entry), the training set this entry's cells train on
 * when it differs from the grid's ({@code train_on:} inside the entry; null: the grid's), and where
 * it was written.
 */
public record MethodEntry(String name, List<Integer> ranks, Map<String, Object> options, YNode train, YNode eval,
    TrainOn trainOn, YNode node) {}
