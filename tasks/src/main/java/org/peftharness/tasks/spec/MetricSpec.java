package org.peftharness.tasks.spec;

import org.peftharness.tasks.metric.MetricName;

/**
 * One metric a task reports.
 *
 * @param aggregation {@code mean} (of per-example verdicts) or {@code corpus} (computed over all
 *     predictions at once: MCC, F1, correlations)
 */
public record MetricSpec(MetricName metric, String aggregation, boolean higherIsBetter) {}
