package org.peftharness.grid;

import java.util.Map;

/**
 * One training run plus its evaluation. {@code id} is the SHA-256 of {@code canonicalJson}, the
 * cell's fully resolved configuration, so the same configuration has the same id in any grid.
 */
public record Cell(int index, String id, String model, String method, Integer rank, String task, long seed,
    Map<String, Object> config, String canonicalJson) {

  /** A short human label, e.g. {@code minilm/lora r8/sst2/seed 1}. */
  public String label() {
    return model + "/" + method + (rank == null ? "" : " r" + rank) + "/" + task + "/seed " + seed;
  }
}
