package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.CellClaim;
import org.peftharness.results.CellStatus;
import org.peftharness.results.Hashes;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.ResultsFolder;

class GridRunnerTest {
  @TempDir Path dir;

  static List<Cell> cells(int n) {
    List<Cell> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cells.add(cell(i, List.of("t")));
    }
    return cells;
  }

  /** A cell trained on {@code tasks.get(0)}'s data and evaluated on every task given. */
  static Cell cell(int i, List<String> tasks) {
    String json = "{\"i\":" + i + "}";
    String id = Hashes.sha256(json);
    List<Evaluation> evals = new ArrayList<>();
    for (int k = 0; k < tasks.size(); k++) {
      String ej = "{\"cell\":\"" + id + "\",\"task\":\"" + tasks.get(k) + "\"}";
      evals.add(new Evaluation(k, Hashes.sha256(ej), tasks.get(k), Map.of("task", tasks.get(k)), ej));
    }
    return new Cell(i, id, "m", i % 2 == 0 ? "lora" : "full", i % 2 == 0 ? 8 : null, tasks.get(0), i, Map.of("i", i), json, evals);
  }

  /** An executor that runs {@code body} once per cell, then hands every evaluation the cell's result. */
  static CellExecutor each(Body body) {
    return (c, evals, d, cancelled, p, sink) -> {
      CellResult r = body.run(c, d, cancelled);
      for (Evaluation e : evals) {
        sink.evaluated(e, r);
      }
    };
  }

  interface Body {
    CellResult run(Cell c, Path dir, BooleanSupplier cancelled) throws Exception;
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
    CellExecutor exec = each((c, d, cancel) -> {
      runs.incrementAndGet();
      return result(c);
    });
    GridRunner.Summary first = runner(dir, exec).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(first.ok()).isEqualTo(5);
    GridRunner.Summary second = runner(dir, exec).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(second.skipped()).isEqualTo(5);
    assertThat(runs).hasValue(5);
    assertThat(ResultsCsv.read(dir.resolve("results.csv"))).hasSize(10);
  }

  @Test
  void aFailingCellIsRecordedWithItsReasonAndTheGridGoesOn() throws IOException {
    CellExecutor exec = each((c, d, cancel) -> {
      if (c.index() == 1) {
        throw new CellExecutor.CellFailedException("loss became NaN at step 3");
      }
      if (c.index() == 2) {
        throw new IllegalStateException("boom");
      }
      return result(c);
    });
    GridRunner.Summary s = runner(dir, exec).run(cells(4), Shard.ALL, () -> false, false);
    assertThat(s.ok()).isEqualTo(2);
    assertThat(s.failed()).isEqualTo(2);
    List<ResultRow> rows = ResultsCsv.read(dir.resolve("results.csv"));
    assertThat(rows).filteredOn(r -> r.status() == CellStatus.FAILED).extracting(ResultRow::reason)
        .containsExactly("loss became NaN at step 3", "IllegalStateException: boom");
    assertThat(Files.readString(new ResultsFolder(dir).cellDir(cells(4).get(2).id()).resolve("error.log"))).contains("boom");
    // failed cells are final unless asked to retry
    AtomicInteger reruns = new AtomicInteger();
    CellExecutor fixed = each((c, d, cancel) -> {
      reruns.incrementAndGet();
      return result(c);
    });
    assertThat(runner(dir, fixed).run(cells(4), Shard.ALL, () -> false, false).skipped()).isEqualTo(4);
    assertThat(runner(dir, fixed).run(cells(4), Shard.ALL, () -> false, true).ok()).isEqualTo(2);
    assertThat(reruns).hasValue(2);
  }

  @Test
  void cancellationIsRecordedAndTheNextRunResumesFromThatCell() throws IOException {
    AtomicBoolean cancel = new AtomicBoolean();
    CellExecutor exec = each((c, d, cancelled) -> {
      if (c.index() == 2) {
        cancel.set(true);
      }
      if (cancelled.getAsBoolean()) {
        throw new CellExecutor.CellCancelledException();
      }
      return result(c);
    });
    GridRunner.Summary s = runner(dir, exec).run(cells(5), Shard.ALL, cancel::get, false);
    assertThat(s.ok()).isEqualTo(2);
    assertThat(s.cancelled()).isEqualTo(1);
    assertThat(new ResultsFolder(dir).rows(cells(5).get(2).id())).extracting(ResultRow::status).containsExactly(CellStatus.CANCELLED);

    List<Integer> resumed = new ArrayList<>();
    CellExecutor rest = each((c, d, cancelled) -> {
      resumed.add(c.index());
      return result(c);
    });
    runner(dir, rest).run(cells(5), Shard.ALL, () -> false, false);
    assertThat(resumed).containsExactly(2, 3, 4);

    Path clean = dir.resolve("clean");
    runner(clean, each((c, d, x) -> result(c))).run(cells(5), Shard.ALL, () -> false, false);
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
      runner(shared, each((x, d, cancel) -> result(x))).run(all, s, () -> false, false);
    }
    Path single = dir.resolve("single");
    runner(single, each((x, d, cancel) -> result(x))).run(all, Shard.ALL, () -> false, false);
    assertThat(withoutTimes(shared.resolve("results.csv"))).isEqualTo(withoutTimes(single.resolve("results.csv")));
  }

  @Test
  void anInterruptedCellsLeftoversAreClearedBeforeItRunsAgain() throws IOException {
    List<Cell> cs = cells(1);
    Path cellDir = new ResultsFolder(dir).cellDir(cs.get(0).id());
    Files.createDirectories(cellDir.resolve("sub"));
    Files.writeString(cellDir.resolve("metrics.jsonl"), "{\"step\":1}\n{\"ste");
    runner(dir, each((c, d, x) -> {
      // only this run's claim is left
      assertThat(Files.list(d).map(f -> f.getFileName().toString()).toList()).containsExactly(CellClaim.FILE);
      return result(c);
    })).run(cs, Shard.ALL, () -> false, false);
  }

  /** An executor that trains (stores a marker) unless a training is stored, then evaluates what it is given. */
  static CellExecutor storing(AtomicInteger trainings, List<String> evaluated, String killAfter) {
    return (c, evals, d, cancelled, p, sink) -> {
      if (!CellLayout.hasStoredTraining(d)) {
        trainings.incrementAndGet();
        Files.createDirectories(CellLayout.trainedDir(d));
        Files.writeString(CellLayout.trainedDir(d).resolve(CellLayout.TRAINED_MARKER), "{}");
      }
      for (Evaluation e : evals) {
        evaluated.add(e.task());
        sink.evaluated(e, result(c));
        if (e.task().equals(killAfter)) {
          throw new Killed();
        }
      }
    };
  }

  /** Stands for SIGKILL: nothing below the executor records anything. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aCellTrainsOnceForAllItsTasksAndATaskAddedLaterIsEvaluatedOnTheStoredTraining() throws IOException {
    AtomicInteger trainings = new AtomicInteger();
    List<String> evaluated = new ArrayList<>();
    Cell two = cell(0, List.of("gsm8k", "math"));
    assertThat(runner(dir, storing(trainings, evaluated, null)).run(List.of(two), Shard.ALL, () -> false, false).ok()).isEqualTo(1);
    assertThat(trainings).hasValue(1);
    assertThat(evaluated).containsExactly("gsm8k", "math");
    Cell three = cell(0, List.of("gsm8k", "math", "svamp"));
    assertThat(three.id()).isEqualTo(two.id());
    assertThat(three.evaluations().subList(0, 2)).isEqualTo(two.evaluations());
    runner(dir, storing(trainings, evaluated, null)).run(List.of(three), Shard.ALL, () -> false, false);
    assertThat(trainings).hasValue(1);
    assertThat(evaluated).containsExactly("gsm8k", "math", "svamp");
    assertThat(ResultsCsv.read(dir.resolve("results.csv"))).extracting(ResultRow::task)
        .containsExactly("gsm8k", "gsm8k", "math", "math", "svamp", "svamp");
    assertThat(runner(dir, storing(trainings, evaluated, null)).run(List.of(three), Shard.ALL, () -> false, false).skipped())
        .isEqualTo(1);
  }

  @Test
  void aKillBetweenEvaluationsResumesWithTheMissingOnesAndNoTraining() throws IOException {
    AtomicInteger trainings = new AtomicInteger();
    List<String> evaluated = new ArrayList<>();
    Cell c = cell(0, List.of("gsm8k", "math", "svamp"));
    try {
      runner(dir, storing(trainings, evaluated, "gsm8k")).run(List.of(c), Shard.ALL, () -> false, false);
    } catch (Killed expected) {
      // the process is gone; gsm8k's rows and the stored training stay
    }
    assertThat(new ResultsFolder(dir).rows(c.id())).extracting(ResultRow::task).containsOnly("gsm8k");
    runner(dir, storing(trainings, evaluated, null)).run(List.of(c), Shard.ALL, () -> false, false);
    assertThat(trainings).hasValue(1);
    assertThat(evaluated).containsExactly("gsm8k", "math", "svamp");
  }

  @Test
  void anEvaluationThatFailsIsRecordedAloneAndRetriedAloneOnTheStoredTraining() throws IOException {
    AtomicInteger trainings = new AtomicInteger();
    List<String> evaluated = new ArrayList<>();
    Cell c = cell(0, List.of("gsm8k", "math"));
    CellExecutor mathBroken = (cell, evals, d, cancelled, p, sink) -> {
      storing(trainings, evaluated, null).run(cell, evals.stream().filter(e -> !e.task().equals("math")).toList(), d, cancelled, p, sink);
      for (Evaluation e : evals) {
        if (e.task().equals("math")) {
          sink.failed(e, "math/test.jsonl:3: answer: missing");
        }
      }
    };
    GridRunner.Summary s = runner(dir, mathBroken).run(List.of(c), Shard.ALL, () -> false, false);
    assertThat(s.failed()).isEqualTo(1);
    assertThat(new ResultsFolder(dir).rows(c.id())).extracting(ResultRow::task, ResultRow::status)
        .containsExactly(tuple("gsm8k", CellStatus.OK), tuple("gsm8k", CellStatus.OK), tuple("math", CellStatus.FAILED));
    runner(dir, storing(trainings, evaluated, null)).run(List.of(c), Shard.ALL, () -> false, true);
    assertThat(trainings).hasValue(1);
    assertThat(evaluated).containsExactly("gsm8k", "math");
    assertThat(new ResultsFolder(dir).rows(c.id())).extracting(ResultRow::status).containsOnly(CellStatus.OK);
  }

  @Test
  void aTrainingThatFailsFailsEveryEvaluationWithItsReason() throws IOException {
    Cell c = cell(0, List.of("gsm8k", "math"));
    runner(dir, (cell, evals, d, cancelled, p, sink) -> {
      throw new CellExecutor.CellFailedException("loss became NaN at step 3");
    }).run(List.of(c), Shard.ALL, () -> false, false);
    assertThat(new ResultsFolder(dir).rows(c.id())).extracting(ResultRow::task, ResultRow::reason)
        .containsExactly(tuple("gsm8k", "loss became NaN at step 3"), tuple("math", "loss became NaN at step 3"));
  }
}
