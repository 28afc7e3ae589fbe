package org.peftharness.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.baseline.ReferencePoint;

/**
 * Cells evaluated on the same task after training on different data, or at different points of a
 * sweep, are different experiments:
 * they go into separate tables, headed by what they trained on, and are never averaged as seeds of
 * one row; a paper's number for the task is compared in each.
 */
class TrainedOnTablesTest {
  static final ReferencePoint PAPER = new ReferencePoint("llama", "gsm8k", "lora", 8, "accuracy", null, null, 0.61,
      "Paper, Table 1", "test", false);

  /** A finished LoRA r8 cell's GSM8K row, trained on {@code trainOn} at the sweep point {@code sweep} (empty: none). */
  static LoadedRow row(String trainOn, String sweep, long seed, double value) {
    String id = trainOn + sweep + seed;
    return new LoadedRow(new ResultRow("g", id, 0, "llama", "lora", 8, "gsm8k", seed, CellStatus.OK, "accuracy", "strict", 1,
        value, 100, true, 1000L, 10_000L, null, 1.0, "2026-08-01T10:00:00Z", "2026-08-01T10:00:01Z", "0.1.0", "abc", null,
        trainOn, "e" + id, sweep), Path.of("results"));
  }

  static LoadedRow row(String trainOn, long seed, double value) {
    return row(trainOn, "", seed, value);
  }

  @Test
  void aTaskTrainedOnAMixAndOnItselfGetsTwoTables() {
    List<LoadedRow> rows = List.of(row("gsm8k", 1, 0.30), row("gsm8k", 2, 0.32), row("metamathqa[:50000]", 1, 0.60),
        row("metamathqa[:50000]", 2, 0.62));
    List<Table> tables = ReportBuilder.tables(rows, List.of(PAPER));
    assertThat(tables).extracting(t -> t.key().heading()).containsExactly("gsm8k", "gsm8k (trained on metamathqa[:50000])");
    assertThat(tables).allSatisfy(t -> assertThat(t.rows()).singleElement().satisfies(r -> assertThat(r.seeds()).containsExactly(1L, 2L)));
    assertThat(tables.get(0).rows().get(0).stats().mean()).isEqualTo(0.31, within(1e-12));
    assertThat(tables.get(1).rows().get(0).stats().mean()).isEqualTo(0.61, within(1e-12));
    assertThat(tables).allSatisfy(t -> assertThat(t.comparisons()).hasSize(1));
    assertThat(tables.get(1).key().slug()).isNotEqualTo(tables.get(0).key().slug());
  }

  @Test
  void eachSweepPointIsARowOfItsOwn() {
    List<LoadedRow> rows = List.of(row("gsm8k", "lr=1e-4", 1, 0.30), row("gsm8k", "lr=1e-4", 2, 0.34),
        row("gsm8k", "lr=1e-3", 1, 0.60), row("gsm8k", "lr=1e-3", 2, 0.64));
    Table t = ReportBuilder.tables(rows, List.of(PAPER)).get(0);
    assertThat(t.rows()).extracting(ReportModel.Row::label).containsExactly("lora r8 lr=1e-3", "lora r8 lr=1e-4");
    assertThat(t.rows()).allSatisfy(r -> assertThat(r.seeds()).containsExactly(1L, 2L));
    assertThat(t.rows().get(0).stats().mean()).isEqualTo(0.62, within(1e-12));
    // two points of one method and rank: the paper's number is compared with neither rather than the better-looking one
    assertThat(t.comparisons()).singleElement().satisfies(c -> assertThat(c.reproduced()).isNull());
  }
}
