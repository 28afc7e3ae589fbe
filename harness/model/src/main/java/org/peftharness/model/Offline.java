package org.peftharness.model;

/**
 * Keeps third-party libraries off the network. DJL otherwise probes a cloud metadata address and
 * may try to download native libraries; the harness must never send traffic off the machine.
 */
public final class Offline {
  private Offline() {}

  public static void enforce() {
    System.setProperty("ai.djl.offline", "true");
    if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", HarnessDirs.cache().resolve("djl").toString());
    }
  }
}
