package org.peftharness.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A running cell's claim, {@code cells/<id>/running.json}: which process runs the cell, kept fresh
 * by a heartbeat (the file's modification time). Processes that share a results folder (shards,
 * Slurm array tasks, Kubernetes indexes, GPU workers) skip a cell another live process holds; a
 * claim whose heartbeat stopped (a killed job, a lost node) or whose process is gone from this host
 * is abandoned and may be taken over.
 *
 * <p>Creation is atomic and exclusive: the claim is written whole to a temporary file and then
 * hard-linked to its name, which fails if the name exists (on NFS too). Taking over an abandoned
 * claim first renames it away, which only one of several racing processes can do.
 */
public final class CellClaim implements AutoCloseable {
  public static final String FILE = "running.json";
  /** How long a claim on another host stays live without a heartbeat. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(3);
  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a claim file says, and how fresh its heartbeat is. */
  public record Holder(Runner runner, Instant startedAt, Instant heartbeat) {
    /** Whether the holder is still at work as seen from {@code me}: a fresh heartbeat, and a living process if on this host. */
    public boolean isLive(Runner me, Instant now) {
      if (Duration.between(heartbeat, now).compareTo(STALE_AFTER) > 0) {
        return false;
      }
      if (runner.host().equals(me.host())) {
        return runner.pid() != me.pid() && ProcessHandle.of(runner.pid()).map(ProcessHandle::isAlive).orElse(false);
      }
      return true;
    }
  }

  private final Path file;
  private final ScheduledExecutorService heartbeat;

  private CellClaim(Path file, Duration every) {
    this.file = file;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "harness-claim-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleAtFixedRate(this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The claim in {@code cellDir}, if there is one. */
  public static Optional<Holder> read(Path cellDir) {
    Path f = cellDir.resolve(FILE);
    try {
      Instant beat = Files.getLastModifiedTime(f).toInstant();
      JsonNode n = JSON.readTree(Files.readString(f));
      Runner r = new Runner(n.path("host").asText("unknown"), n.path("pid").asLong(-1), n.path("scheduler").asText("unknown"));
      return Optional.of(new Holder(r, Instant.parse(n.path("started_at").asText(beat.toString())), beat));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // unreadable: judge by its age alone
      try {
        Instant beat = Files.getLastModifiedTime(f).toInstant();
        return Optional.of(new Holder(new Runner("unknown", -1, "unknown"), beat, beat));
      } catch (IOException gone) {
        return Optional.empty();
      }
    }
  }

  /** Claims the cell for {@code me}, unless a live process holds it; an abandoned claim is taken over. */
  public static Optional<CellClaim> tryAcquire(Path cellDir, Runner me) {
    return tryAcquire(cellDir, me, HEARTBEAT);
  }

  static Optional<CellClaim> tryAcquire(Path cellDir, Runner me, Duration heartbeatEvery) {
    try {
      Files.createDirectories(cellDir);
      Path target = cellDir.resolve(FILE);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("host", me.host());
      body.put("pid", me.pid());
      body.put("scheduler", me.scheduler());
      body.put("started_at", Instant.now().toString());
      Path tmp = cellDir.resolve("." + FILE + "." + UUID.randomUUID() + ".tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n");
      try {
        for (int attempt = 0; attempt < 2; attempt++) {
          try {
            link(target, tmp);
            return Optional.of(new CellClaim(target, heartbeatEvery));
          } catch (FileAlreadyExistsException e) {
            Optional<Holder> h = read(cellDir);
            if (h.isPresent() && h.get().isLive(me, Instant.now())) {
              return Optional.empty();
            }
            removeAbandoned(cellDir);
          }
        }
        return Optional.empty();
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes what a killed process left in {@code cellDir}: its claim, unless a live process holds it
   * (a kill between a cell's last rows and the claim's removal leaves one on a finished cell, where
   * no later run would take it over), and temporary files of claims older than {@link #STALE_AFTER}
   * (a claim's temporary file lives for milliseconds).
   *
   * @return whether the cell is now unclaimed
   */
  public static boolean clearAbandoned(Path cellDir, Runner me) throws IOException {
    Instant now = Instant.now();
    try (Stream<Path> s = Files.list(cellDir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("." + FILE + ".") && (name.endsWith(".tmp") || name.endsWith(".abandoned"))
            && isOlder(p, now)) {
          Files.deleteIfExists(p);
        }
      }
    }
    Optional<Holder> h = read(cellDir);
    if (h.isEmpty()) {
      return true;
    }
    if (h.get().isLive(me, now)) {
      return false;
    }
    removeAbandoned(cellDir);
    return true;
  }

  private static boolean isOlder(Path p, Instant now) {
    try {
      return Duration.between(Files.getLastModifiedTime(p).toInstant(), now).compareTo(STALE_AFTER) > 0;
    } catch (NoSuchFileException gone) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Renames the claim away first: of several processes doing this at once, only one succeeds. */
  private static void removeAbandoned(Path cellDir) throws IOException {
    try {
      Path away = cellDir.resolve("." + FILE + "." + UUID.randomUUID() + ".abandoned");
      Files.move(cellDir.resolve(FILE), away);
      Files.deleteIfExists(away);
    } catch (NoSuchFileException raced) {
      // another process moved it first
    }
  }

  private static void link(Path target, Path tmp) throws IOException {
    try {
      Files.createLink(target, tmp);
    } catch (UnsupportedOperationException e) {
      Files.write(target, Files.readAllBytes(tmp), StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
    }
  }

  private void beat() {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // the folder went away or the claim was removed; the next beat tries again
    }
  }

  /** The claim file, which a cell's clean start must keep. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
