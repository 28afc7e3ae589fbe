package org.peftharness.tasks.metric;

import java.util.Arrays;
import java.util.Optional;

/** The metrics a task file may name, with the direction a report should read them in. */
public enum MetricName {
  ACCURACY("accuracy", true),
  MCC("mcc", true),
  F1("f1", true),
  PEARSON("pearson", true),
  SPEARMAN("spearman", true);

  private final String id;
  private final boolean higherIsBetter;

  MetricName(String id, boolean higherIsBetter) {
    this.id = id;
    this.higherIsBetter = higherIsBetter;
  }

  public String id() {
    return id;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public static Optional<MetricName> of(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
  }
}
