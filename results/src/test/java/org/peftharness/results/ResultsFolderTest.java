package org.peftharness.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.InvalidInputException;

class ResultsFolderTest {
  @TempDir Path dir;

  static ResultRow ok(String id, int index, String metric, double value) {
    return new ResultRow("g", id, index, "minilm", "lora", 8, "sst2", 1, CellStatus.OK, metric, "glue-label", 1, value,
        400, true, 1000L, 2000L, 12.5, 3.25, "2026-01-01T00:00:00Z", "2026-01-01T00:00:03Z", "0.1.0", "abc",
        null);
  }

  static ResultRow failed(String id, int index, String reason) {
    return new ResultRow("g", id, index, "minilm", "pissa", 4, "sst2", 2, CellStatus.FAILED, null, null, null, null, null,
        null, null, null, null, 1.0, "t0", "t1", "0.1.0", "abc", reason);
  }

  @Test
  void rowsRoundTripThroughCsvIncludingQuotesCommasAndNewlines() throws IOException {
    List<ResultRow> rows = List.of(ok("a", 0, "accuracy", 0.1 + 0.2), failed("b", 1, "loss became NaN at step 7, \"diverged\"\nsee log"));
    Path f = dir.resolve("x.csv");
    Files.writeString(f, ResultsCsv.format(rows));
    assertThat(ResultsCsv.read(f)).containsExactlyElementsOf(rows);
    assertThat(Files.readString(f)).startsWith(String.join(",", ResultsCsv.HEADER) + "\n").contains("0.30000000000000004");
  }

  @Test
  void aCsvSavedWithCrlfLineEndingsReadsTheSameRows() throws IOException {
    List<ResultRow> rows = List.of(ok("a", 0, "accuracy", 0.5), failed("b", 1, "diverged, \"NaN\""));
    Path f = dir.resolve("crlf.csv");
    Files.writeString(f, ResultsCsv.format(rows).replace("\n", "\r\n"));
    assertThat(ResultsCsv.read(f)).containsExactlyElementsOf(rows);
  }

  @Test
  void resultsAreInGridOrderWhateverTheCommitOrderAndCommitsAreIdempotent() throws IOException {
    ResultsFolder a = new ResultsFolder(dir.resolve("a"));
    a.commit("c2", List.of(ok("c2", 2, "accuracy", 0.9)));
    a.commit("c0", List.of(ok("c0", 0, "accuracy", 0.7), ok("c0", 0, "f1", 0.6)));
    a.commit("c1", List.of(failed("c1", 1, "out of memory")));
    a.commit("c0", List.of(ok("c0", 0, "accuracy", 0.7), ok("c0", 0, "f1", 0.6)));

    ResultsFolder b = new ResultsFolder(dir.resolve("b"));
    b.commit("c0", List.of(ok("c0", 0, "accuracy", 0.7), ok("c0", 0, "f1", 0.6)));
    b.commit("c1", List.of(failed("c1", 1, "out of memory")));
    b.commit("c2", List.of(ok("c2", 2, "accuracy", 0.9)));

    assertThat(Files.readString(a.resultsCsv())).isEqualTo(Files.readString(b.resultsCsv()));
    assertThat(ResultsCsv.read(a.resultsCsv())).extracting(ResultRow::cellId).containsExactly("c0", "c0", "c1", "c2");
    assertThat(a.rows("c1").stream().map(ResultRow::status).findFirst()).contains(CellStatus.FAILED);
    assertThat(a.rows("c9").stream().map(ResultRow::status).findFirst()).isEmpty();
  }

  @Test
  void aCancelledCellIsReplacedWhenItFinishesLater() throws IOException {
    ResultsFolder f = new ResultsFolder(dir);
    ResultRow cancelled = new ResultRow("g", "c", 0, "m", "lora", 8, "t", 1, CellStatus.CANCELLED, null, null, null, null,
        null, null, null, null, null, 0.5, "t0", "t1", "v", "c", "interrupted by the user");
    f.commit("c", List.of(cancelled));
    assertThat(f.rows("c").stream().map(ResultRow::status).findFirst()).contains(CellStatus.CANCELLED);
    assertThat(CellStatus.CANCELLED.isFinal()).isFalse();
    f.commit("c", List.of(ok("c", 0, "accuracy", 0.8)));
    assertThat(ResultsCsv.read(f.resultsCsv())).extracting(ResultRow::status).containsExactly(CellStatus.OK);
  }

  @Test
  void concurrentCommitsLoseAndDuplicateNothing() throws Exception {
    ResultsFolder f = new ResultsFolder(dir);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int k = i;
      jobs.add(pool.submit(() -> {
        f.commit("c" + k, List.of(ok("c" + k, k, "accuracy", k / 40.0)));
        return null;
      }));
    }
    for (Future<?> j : jobs) {
      j.get();
    }
    pool.shutdown();
    List<ResultRow> rows = ResultsCsv.read(f.resultsCsv());
    assertThat(rows).hasSize(40);
    assertThat(rows).extracting(ResultRow::cellIndex).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void leftoverTemporaryFilesFromAKillAreIgnored() throws IOException {
    ResultsFolder f = new ResultsFolder(dir);
    f.commit("c0", List.of(ok("c0", 0, "accuracy", 0.5)));
    Files.createDirectories(f.cellDir("c1"));
    Files.writeString(f.cellDir("c1").resolve(".rows.csv123.tmp"), "grid,cell_id,half a row");
    Files.writeString(dir.resolve(".results.csv456.tmp"), "garbage");
    f.rebuild();
    assertThat(ResultsCsv.read(f.resultsCsv())).hasSize(1);
    assertThat(f.rows("c1").stream().map(ResultRow::status).findFirst()).isEmpty();
  }

  @Test
  void aForeignOrDamagedCsvIsAnInputErrorWithLineAndField() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "a,b\n1,2\n");
    assertThatThrownBy(() -> ResultsCsv.read(f)).isInstanceOf(InvalidInputException.class).hasMessageContaining("header");
    String good = ResultsCsv.format(List.of(ok("a", 0, "accuracy", 0.5)));
    Files.writeString(f, good.replace(",0.5,", ",zero point five,"));
    assertThatThrownBy(() -> ResultsCsv.read(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(f + ":2: value: cannot read 'zero point five'");
  }

  private static ResultRow evaluated(String cell, String evalId, String task, CellStatus status, double value) {
    return new ResultRow("g", cell, 0, "m", "lora", 8, task, 1, status, status == CellStatus.OK ? "accuracy" : null,
        status == CellStatus.OK ? "strict" : null, status == CellStatus.OK ? 1 : null, status == CellStatus.OK ? value : null,
        null, null, null, null, null, 0.5, "t0", "t1", "v", "c", status == CellStatus.OK ? null : "why", "metamathqa[:50]", evalId);
  }

  @Test
  void evaluationsOfOneCellAreCommittedOneByOneAndAReRunOfATaskReplacesItsRows() throws IOException {
    ResultsFolder f = new ResultsFolder(dir);
    f.commitEvaluation("c", "e1", "gsm8k", List.of(evaluated("c", "e1", "gsm8k", CellStatus.OK, 0.5)));
    assertThat(f.isDone("c", "e1", false)).isTrue();
    assertThat(f.isDone("c", "e2", false)).isFalse();
    f.commitEvaluation("c", "e2", "math", List.of(evaluated("c", "e2", "math", CellStatus.FAILED, 0)));
    assertThat(f.isDone("c", "e2", false)).isTrue();
    assertThat(f.isDone("c", "e2", true)).isFalse();
    // gsm8k evaluated again with other settings (another id): its rows replace the old ones in place
    f.commitEvaluation("c", "e3", "gsm8k", List.of(evaluated("c", "e3", "gsm8k", CellStatus.OK, 0.75)));
    List<ResultRow> rows = ResultsCsv.read(f.resultsCsv());
    assertThat(rows).extracting(ResultRow::evalId).containsExactly("e3", "e2");
    assertThat(rows).extracting(ResultRow::trainOn).containsOnly("metamathqa[:50]");
    assertThat(f.isDone("c", "e1", false)).isFalse();
    assertThatThrownBy(() -> f.commitEvaluation("c", "e4", "gsm8k", List.of(evaluated("c", "e3", "gsm8k", CellStatus.OK, 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aResultsCsvWrittenBeforeTrainOnReadsWithTheTaskAsWhatItTrainedOn() throws IOException {
    String current = ResultsCsv.format(List.of(ok("a", 0, "accuracy", 0.5)));
    String[] lines = current.split("\n");
    String row = lines[1];
    for (int k = 0; k < 6; k++) {
      row = row.substring(0, row.lastIndexOf(','));
    }
    String v1 = lines[0].replace(",train_on,eval_id,sweep,split,selection,precision", "") + "\n" + row + "\n";
    List<ResultRow> rows = ResultsCsv.read("old.csv", new StringReader(v1));
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.trainOn()).isEqualTo(r.task());
      assertThat(r.evalId()).isEmpty();
      assertThat(r.value()).isEqualTo(0.5);
      assertThat(r.split()).isEmpty();
      assertThat(r.selection()).isEmpty();
      assertThat(r.precision()).isEmpty();
    });
  }

  @Test
  void aTasksHeldOutValidationAndItsReportedSplitAreTwoEvaluationsThatKeepTheirRows() throws IOException {
    ResultsFolder f = new ResultsFolder(dir);
    ResultRow v = evaluated("c", "v1", "rte", CellStatus.OK, 0.7);
    ResultRow validation = new ResultRow(v.grid(), v.cellId(), v.cellIndex(), v.model(), v.method(), v.rank(), v.task(), v.seed(),
        v.status(), v.metric(), v.protocol(), v.protocolVersion(), v.value(), v.n(), v.higherIsBetter(), v.trainableParams(),
        v.totalParams(), v.tokensPerSecond(), v.wallSeconds(), v.startedAt(), v.finishedAt(), v.harnessVersion(), v.gitCommit(),
        v.reason(), v.trainOn(), v.evalId(), "lr=1.0e-4", ResultRow.VALIDATION, "validation");
    f.commitEvaluation("c", "v1", "rte", List.of(validation));
    f.commitEvaluation("c", "e1", "rte", List.of(evaluated("c", "e1", "rte", CellStatus.FAILED, 0)));
    List<ResultRow> rows = ResultsCsv.read(f.resultsCsv());
    assertThat(rows).extracting(ResultRow::evalId).containsExactly("v1", "e1");
    assertThat(rows.get(0)).isEqualTo(validation);
    assertThat(rows.get(0).isValidation()).isTrue();
    assertThat(rows.get(1).isValidation()).isFalse();
  }
}
