package org.peftharness.grid;

import java.util.List;

/** What a finished cell measured: its metrics (one per metric x protocol) and its size and speed. */
public record CellResult(List<Metric> metrics, long trainableParams, long totalParams, double tokensPerSecond) {
  public record Metric(String metric, String protocol, int protocolVersion, double value, int n, boolean higherIsBetter) {}
}
