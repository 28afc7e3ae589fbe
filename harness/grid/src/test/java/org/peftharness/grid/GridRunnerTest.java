package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.ResultsFolder;

class GridRunnerTest {
  @TempDir Path dir;

  static List<Cell> cells(int n) {
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String json = "{\"i\":" + i + "}";
      cells.add(new Cell(i, org.peftharness.results.Hashes.sha256(json), "m", i % 2 == 0 ? "lora" : "full",
          i % 2 == 0 ? 8 : null, "t", i, Map.of("i", i), json));
    }
    return cells;
  }

  static CellResult result(Cell c) {
    return new CellResult(List.of(new CellResult.Metric("accuracy", "glue-label", 1, c.index() / 10.0, 100, true),
        new CellResult.Metric("f1", "glue-label", 1, c.index() / 20.0, 100, true)), 10, 100, 5.0);
  }

  static final GridRunner.Listener QUIET = new GridRunner.Listener() {
    @Override
    public void start(int pending, int skipped) {}

    @Override
    public CellProgress cellStarted(Cell cell, int position, int pending) {
      return CellProgress.NONE;
    }

    @Override
    public void cellEnded(Cell cell, CellStatus status, String reason, double seconds) {}
  };

  GridRunner runner(Path out, CellExecutor exec) {
    return new GridRunner("g", new ResultsFolder(out), exec, QUIET, "v", "c");
  }

  static List<List<String>> withoutTimes(Path csv) throws IOException {
    List<List<String>> out = new ArrayList<>();
    for (ResultRow r : ResultsCsv.read(csv)) {
      out.add(List.of(r.cellId(), r.status().toString(), String.valueOf(r.metric()), String.valueOf(r.value()), String.valueOf(r.reason())));
    }
    return out;
  }

  @Test
  void runsEveryCellThenResumingSkipsThemAll() throws IOException {
    AtomicInteger runs = new AtomicInteger();
    CellExecutor exec = (c, d, cancel, p) -> {
      runs.incrementAndGet();
      return result(c);
    };
    GridRunner.Summary first = runner(dir, exec).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(first.ok()).isEqualTo(5);
    GridRunner.Summary second = runner(dir, exec).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(second.skipped()).isEqualTo(5);
    assertThat(runs).hasValue(5);
    assertThat(ResultsCsv.read(dir.resolve("results.csv"))).hasSize(10);
  }

  @Test
  void aFailingCellIsRecordedWithItsReasonAndTheGridGoesOn() throws IOException {
    CellExecutor exec = (c, d, cancel, p) -> {
      if (c.index() == 1) {
        throw new CellExecutor.CellFailedException("loss became NaN at step 3");
      }
      if (c.index() == 2) {
        throw new IllegalStateException("boom");
      }
      return result(c);
    };
    GridRunner.Summary s = runner(dir, exec).run(cells(4), Shard.ALL, () -> false, false);
    assertThat(s.ok()).isEqualTo(2);
    assertThat(s.failed()).isEqualTo(2);
    List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));
    assertThat(rows).filteredOn(r -> r.status() == CellStatus.FAILED).extracting(ResultRow::reason)
        .containsExactly("loss became NaN at step 3", "IllegalStateException: boom");
    assertThat(Files.readString(new ResultsFolder(dir).cellDir(cells(4).get(2).id()).resolve("error.log"))).contains("boom");
    // failed cells are final unless asked to retry
    AtomicInteger reruns = new AtomicInteger();
    CellExecutor fixed = (c, d, cancel, p) -> {
      reruns.incrementAndGet();
      return result(c);
    };
    assertThat(runner(dir, fixed).run(cells(4), Shard.ALL, () -> false, false).skipped()).isEqualTo(4);
    assertThat(runner(dir, fixed).run(cells(4), Shard.ALL, () -> false, true).ok()).isEqualTo(2);
    assertThat(reruns).hasValue(2);
  }

  @Test
  void cancellationIsRecordedAndTheNextRunResumesFromThatCell() throws IOException {
    AtomicBoolean cancel = new AtomicBoolean();
    CellExecutor exec = (c, d, cancelled, p) -> {
      if (c.index() == 2) {
        cancel.set(true);
      }
      if (cancelled.getAsBoolean()) {
        throw new CellExecutor.CellCancelledException();
      }
      return result(c);
    };
    GridRunner.Summary s = runner(dir, exec).run(cells(5), Shard.ALL, cancel::get, false);
    assertThat(s.ok()).isEqualTo(2);
    assertThat(s.cancelled()).isEqualTo(1);
    assertThat(new ResultsFolder(dir).status(cells(5).get(2).id())).contains(CellStatus.CANCELLED);

    List<Integer> resumed = new ArrayList<>();
    CellExecutor rest = (c, d, cancelled, p) -> {
      resumed.add(c.index());
      return result(c);
    };
    runner(dir, rest).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(resumed).containsExactly(2, 3, 4);

    Path clean = dir.resolve("clean");
    runner(clean, (c, d, x, p) -> result(c)).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(withoutTimes(dir.resolve("results.csv"))).isEqualTo(withoutTimes(clean.resolve("results.csv")));
  }

  @Test
  void shardsPartitionTheGridAndTogetherEqualOneRun() throws IOException {
    List<Cell> all = cells(12);
    Shard a = Shard.parse("1/3");
    Shard b = Shard.parse("2/3");
    Shard c = Shard.parse("3/3");
    for (Cell cell : all) {
      assertThat(List.of(a.contains(cell), b.contains(cell), c.contains(cell))).containsOnlyOnce(true);
    }
    Path shared = dir.resolve("shared");
    for (Shard s : List.of(a, b, c)) {
      runner(shared, (x, d, cancel, p) -> result(x)).run(all, s, () -> false, false);
    }
    Path single = dir.resolve("single");
    runner(single, (x, d, cancel, p) -> result(x)).run(all, Shard.ALL, () -> false, false);
    assertThat(withoutTimes(shared.resolve("results.csv"))).isEqualTo(withoutTimes(single.resolve("results.csv")));
  }

  @Test
  void anInterruptedCellsLeftoversAreClearedBeforeItRunsAgain() throws IOException {
    List<Cell> cs = cells(1);
    Path cellDir = new ResultsFolder(dir).cellDir(cs.get(0).id());
    Files.createDirectories(cellDir.resolve("sub"));
    Files.writeString(cellDir.resolve("metrics.jsonl"), "{\"step\":1}\n{\"ste");
    runner(dir, (c, d, x, p) -> {
      // only this run's claim is left
      assertThat(Files.list(d).map(f -> f.getFileName().toString()).toList()).containsExactly(CellClaim.FILE);
      return result(c);
    }).run(cs, Shard.ALL, () -> false, false);
  }
}
