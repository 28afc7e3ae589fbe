package org.peftharness.grid;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C or SIGTERM while cells run: a JVM shutdown hook raises the cancel flag the runners poll,
 * then holds the JVM open (up to a grace period) until {@link #close()} says the runner has
 * recorded its cells as cancelled, so that no cell is left looking as if it still ran.
 */
public final class ShutdownCancel implements AutoCloseable {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  private ShutdownCancel(String name, Duration grace) {
    hook = new Thread(() -> {
      cancelled.set(true);
      try {
        finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
  }

  /** Installs the hook; close the result when the runner has returned. */
  public static ShutdownCancel install(String name, Duration grace) {
    ShutdownCancel c = new ShutdownCancel(name, grace);
    Runtime.getRuntime().addShutdownHook(c.hook);
    return c;
  }

  /** What the runner polls between steps. */
  public BooleanSupplier flag() {
    return cancelled::get;
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs and now returns at once
    }
  }
}
