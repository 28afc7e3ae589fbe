package org.peftharness.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellClaimTest {
  @TempDir Path dir;

  /** A claim file as another process would have written it. */
  void writeClaim(Path cellDir, String host, long pid, Instant heartbeat) throws IOException {
    Files.createDirectories(cellDir);
    Path f = cellDir.resolve(CellClaim.FILE);
    Files.writeString(f, "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"scheduler\":\"slurm job 7_3\",\"started_at\":\""
        + heartbeat + "\"}\n");
    Files.setLastModifiedTime(f, FileTime.from(heartbeat));
  }

  @Test
  void aLiveClaimOnAnotherHostKeepsOthersOutUntilItsHeartbeatStops() throws IOException {
    Path cell = dir.resolve("c");
    writeClaim(cell, "node-17", 4242, Instant.now());
    assertThat(CellClaim.tryAcquire(cell, Runner.current())).isEmpty();

    writeClaim(cell, "node-17", 4242, Instant.now().minus(CellClaim.STALE_AFTER).minusSeconds(5));
    Optional<CellClaim> taken = CellClaim.tryAcquire(cell, Runner.current());
    assertThat(taken).isPresent();
    assertThat(CellClaim.read(cell).orElseThrow().runner()).isEqualTo(Runner.current());
    taken.get().close();
    assertThat(cell.resolve(CellClaim.FILE)).doesNotExist();
  }

  @Test
  void aClaimOfADeadProcessOnThisHostIsAbandonedAtOnce() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor(10, TimeUnit.SECONDS);
    Path cell = dir.resolve("c");
    writeClaim(cell, Runner.current().host(), p.pid(), Instant.now());
    assertThat(CellClaim.read(cell).orElseThrow().isLive(Runner.current(), Instant.now())).isFalse();
    try (CellClaim c = CellClaim.tryAcquire(cell, Runner.current()).orElseThrow()) {
      assertThat(c.file()).exists();
    }
  }

  @Test
  void aLiveProcessOnThisHostHoldsItsClaim() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      Path cell = dir.resolve("c");
      writeClaim(cell, Runner.current().host(), sleeper.pid(), Instant.now());
      assertThat(CellClaim.tryAcquire(cell, Runner.current())).isEmpty();
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void onlyOneOfManyRacingThreadsGetsTheClaim() throws Exception {
    Path cell = dir.resolve("c");
    // claims from other hosts, so that liveness rests on the file alone
    List<Runner> runners = java.util.stream.IntStream.range(0, 8).mapToObj(i -> new Runner("host-" + i, 100 + i, "test")).toList();
    List<Optional<CellClaim>> got = runners.parallelStream().map(r -> CellClaim.tryAcquire(cell, r)).toList();
    assertThat(got.stream().filter(Optional::isPresent).count()).isEqualTo(1);
    got.stream().flatMap(Optional::stream).forEach(CellClaim::close);
    try (var s = Files.list(cell)) {
      assertThat(s.toList()).isEmpty(); // no temporary files left behind
    }
  }

  @Test
  void theHeartbeatKeepsTheClaimFresh() throws Exception {
    Path cell = dir.resolve("c");
    try (CellClaim c = CellClaim.tryAcquire(cell, Runner.current(), java.time.Duration.ofMillis(50)).orElseThrow()) {
      Files.setLastModifiedTime(c.file(), FileTime.from(Instant.now().minusSeconds(3600)));
      Thread.sleep(400);
      assertThat(CellClaim.read(cell).orElseThrow().heartbeat()).isAfter(Instant.now().minusSeconds(5));
    }
  }

  @Test
  void schedulerNamesComeFromTheJobsEnvironment() {
    assertThat(Runner.schedulerFrom(java.util.Map.of("SLURM_ARRAY_JOB_ID", "12", "SLURM_ARRAY_TASK_ID", "3", "SLURM_JOB_ID", "15")))
        .isEqualTo("slurm job 12_3");
    assertThat(Runner.schedulerFrom(java.util.Map.of("SLURM_JOB_ID", "15"))).isEqualTo("slurm job 15");
    assertThat(Runner.schedulerFrom(java.util.Map.of("JOB_COMPLETION_INDEX", "4"))).isEqualTo("kubernetes job index 4");
    assertThat(Runner.schedulerFrom(java.util.Map.of("HARNESS_WORKER_GPU", "1"))).isEqualTo("harness worker on GPU 1");
    assertThat(Runner.schedulerFrom(java.util.Map.of())).isEqualTo("local");
  }
}
