package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the command line ends what the commands throw: the environment's faults are named, a bug leaves a log in the cache. */
class MainFaultsTest {
  @TempDir Path dir;

  @Test
  void aFullDiskIsTheEnvironmentNotABug() {
    StringWriter err = new StringWriter();
    int code = Main.handle(new UncheckedIOException(new IOException("No space left on device")), new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("error: no space left on device: No space left on device" + System.lineSeparator());
  }

  @Test
  void aBugsStackTraceGoesToALogInTheCacheNotTheTerminal() throws IOException {
    String before = System.getProperty("harness.cache");
    System.setProperty("harness.cache", dir.toString());
    try {
      StringWriter err = new StringWriter();
      int code = Main.handle(new IllegalStateException("boom"), new PrintWriter(err, true));
      assertThat(code).isEqualTo(4);
      assertThat(err.toString()).contains("internal error (a bug in the harness): java.lang.IllegalStateException: boom")
          .contains(dir.resolve("crash-logs").toString()).doesNotContain("\tat ");
      try (var logs = Files.list(dir.resolve("crash-logs"))) {
        assertThat(logs.toList()).singleElement().satisfies(l -> assertThat(Files.readString(l)).contains("\tat "));
      }
    } finally {
      if (before == null) {
        System.clearProperty("harness.cache");
      } else {
        System.setProperty("harness.cache", before);
      }
    }
  }
}
