package org.peftharness.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared} (public data and independent fixtures) beside the checkout. Tests that
 * need it skip, with the reason, when it is absent; nothing from it is ever copied into the
 * project.
 */
public final class SharedFiles {
  private SharedFiles() {}

  public static Path root() {
    String configured = System.getProperty("harness.shared");
    Path p = configured != null ? Path.of(configured) : Path.of("..", "shared");
    return p.toAbsolutePath().normalize();
  }

  /** A file under {@code ../shared/data}; the calling test is skipped if it is missing. */
  public static Path data(String relative) {
    return require(root().resolve("data").resolve(relative));
  }

  /** A file under {@code ../shared/fixtures}; the calling test is skipped if it is missing. */
  public static Path fixture(String relative) {
    return require(root().resolve("fixtures").resolve(relative));
  }

  private static Path require(Path p) {
    assumeTrue(Files.exists(p), () -> "skipped: " + p + " is absent (../shared is not beside the checkout)");
    return p;
  }
}
