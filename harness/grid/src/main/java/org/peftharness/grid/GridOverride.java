package org.peftharness.grid;

import java.util.Map;
import org.peftharness.core.yaml.YNode;

/**
 * Settings that apply to the cells matching {@code when} (any of model, method, task, rank),
 * layered in the order written, after the grid's defaults.
 */
public record GridOverride(Map<String, String> when, YNode train, YNode eval, YNode node) {
  public boolean matches(String model, String method, String task, Integer rank) {
    for (Map.Entry<String, String> c : when.entrySet()) {
      String actual;
      switch (c.getKey()) {
        case "model":
          actual = model;
          break;
        case "method":
          actual = method;
          break;
        case "task":
          actual = task;
          break;
        case "rank":
          actual = rank == null ? null : rank.toString();
          break;
        default:
          throw new IllegalStateException(c.getKey());
      }
      if (!c.getValue().equals(actual)) {
        return false;
      }
    }
    return true;
  }
}
