package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.CellClaim;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.Runner;

/**
 * What a SIGKILL leaves in a results folder, made by hand (a kill lands at random, a test cannot
 * wait for the one millisecond that leaves each of these), and what a resume must do with it:
 * temporary files of atomic writes and claims of dead processes go, a torn or missing results.csv
 * is rebuilt from the cells' rows, and what a live process holds is left alone.
 */
class ResumeAfterKillTest {
  @TempDir Path dir;

  GridRunner runner(Path out) {
    CellExecutor exec = GridRunnerTest.each((c, d, cancel) -> GridRunnerTest.result(c));
    return new GridRunner("g", new ResultsFolder(out), exec, GridRunnerTest.QUIET, "v", "c");
  }

  static void writeClaim(Path cellDir, String host, long pid, Instant heartbeat) throws IOException {
    Path f = cellDir.resolve(CellClaim.FILE);
    Files.writeString(f, "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"scheduler\":\"none\",\"started_at\":\""
        + heartbeat + "\"}\n");
    Files.setLastModifiedTime(f, FileTime.from(heartbeat));
  }

  static List<String> leftovers(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString())
          .filter(n -> n.endsWith(".tmp") || n.endsWith(".abandoned") || n.endsWith(CellClaim.FILE)).sorted().toList();
    }
  }

  @Test
  void noTemporaryFileAndNoStaleClaimSurvivesAResume() throws Exception {
    List<Cell> cells = GridRunnerTest.cells(4);
    runner(dir).run(cells, Shard.ALL, () -> false, false);
    String clean = Files.readString(dir.resolve("results.csv"));
    ResultsFolder folder = new ResultsFolder(dir);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    Instant old = Instant.now().minus(CellClaim.STALE_AFTER).minus(Duration.ofMinutes(1));

    // killed while rebuilding results.csv: its temporary file, and a torn results.csv beside it
    Files.writeString(dir.resolve(".results.csv1234567890.tmp"), clean.substring(0, clean.length() / 2));
    Files.writeString(dir.resolve("results.csv"), clean.substring(0, clean.length() / 3));
    // killed between a finished cell's last rows and the removal of its claim: a dead process's claim
    Path c0 = folder.cellDir(cells.get(0).id());
    writeClaim(c0, Runner.current().host(), gone.pid(), Instant.now());
    // killed while writing a cell's rows: the temporary file of that write
    Path c1 = folder.cellDir(cells.get(1).id());
    Files.writeString(c1.resolve(".rows.csv987654321.tmp"), "grid,cell_id");
    // a claim of another host whose heartbeat stopped long ago, and a claim's own temporary file
    Path c2 = folder.cellDir(cells.get(2).id());
    writeClaim(c2, "node-gone", 4242, old);
    Path claimTmp = c2.resolve("." + CellClaim.FILE + ".0f0f.tmp");
    Files.writeString(claimTmp, "{}");
    Files.setLastModifiedTime(claimTmp, FileTime.from(old));
    // a live process on another host holds cell 3 (say, rescoring it): its files stay
    Path c3 = folder.cellDir(cells.get(3).id());
    writeClaim(c3, "node-live", 77, Instant.now());
    Files.writeString(c3.resolve(".rows.csv555.tmp"), "grid");

    GridRunner.Summary s = runner(dir).run(cells, Shard.ALL, () -> false, false);

    assertThat(s.skipped()).isEqualTo(4);
    assertThat(leftovers(dir)).containsExactly("cells/" + cells.get(3).id() + "/.rows.csv555.tmp",
        "cells/" + cells.get(3).id() + "/" + CellClaim.FILE);
    assertThat(Files.readString(dir.resolve("results.csv"))).isEqualTo(clean);
  }

  @Test
  void aMissingResultsCsvIsRebuiltFromTheCellsWithoutRunningThemAgain() throws Exception {
    List<Cell> cells = GridRunnerTest.cells(3);
    runner(dir).run(cells, Shard.ALL, () -> false, false);
    String clean = Files.readString(dir.resolve("results.csv"));
    Files.delete(dir.resolve("results.csv"));
    assertThat(runner(dir).run(cells, Shard.ALL, () -> false, false).skipped()).isEqualTo(3);
    assertThat(Files.readString(dir.resolve("results.csv"))).isEqualTo(clean);
  }

  @Test
  void readersTakeTheCellsRowsOverATornResultsCsv() throws Exception {
    List<Cell> cells = GridRunnerTest.cells(3);
    runner(dir).run(cells, Shard.ALL, () -> false, false);
    ResultsFolder folder = new ResultsFolder(dir);
    var rows = folder.readRows();
    String clean = Files.readString(dir.resolve("results.csv"));
    Files.writeString(dir.resolve("results.csv"), clean.substring(0, clean.length() - 17));
    assertThat(folder.readRows()).isEqualTo(rows);
  }
}
