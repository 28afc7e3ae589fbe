package org.peftharness.model;

import java.nio.file.Path;

/** Where the harness keeps caches: {@code -Dharness.cache}, else {@code $HARNESS_CACHE}, else ~/.cache/peft-harness. */
public final class HarnessDirs {
  private HarnessDirs() {}

  public static Path cache() {
    String p = System.getProperty("harness.cache");
    if (p == null) {
      p = System.getenv("HARNESS_CACHE");
    }
    if (p == null) {
      return Path.of(System.getProperty("user.home"), ".cache", "peft-harness");
    }
    return Path.of(p);
  }
}
