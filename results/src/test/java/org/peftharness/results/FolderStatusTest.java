package org.peftharness.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.results.FolderStatus.State;

class FolderStatusTest {
  @TempDir Path dir;

  static ResultRow row(PlanManifest.Entry e, CellStatus s, String reason) {
    return new ResultRow("g", e.id(), e.index(), "m", "lora", 8, "t", 1, s, s == CellStatus.OK ? "accuracy" : null,
        s == CellStatus.OK ? "p" : null, s == CellStatus.OK ? 1 : null, s == CellStatus.OK ? 0.5 : null, s == CellStatus.OK ? 10 : null,
        s == CellStatus.OK ? true : null, null, null, null, 1.0, "2026-11-23T00:00:00Z", "2026-11-23T00:00:01Z", "v", "c", reason);
  }

  @Test
  void everyStateIsReadFromTheFolderAlone() throws IOException {
    List<PlanManifest.Entry> plan = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      plan.add(new PlanManifest.Entry(i, Hashes.sha256("cell" + i), "cell " + i));
    }
    ResultsFolder f = new ResultsFolder(dir);
    f.commit(plan.get(0).id(), List.of(row(plan.get(0), CellStatus.OK, null)));
    f.commit(plan.get(1).id(), List.of(row(plan.get(1), CellStatus.FAILED, "non-finite loss")));
    f.commit(plan.get(2).id(), List.of(row(plan.get(2), CellStatus.CANCELLED, "interrupted by the user")));
    claim(f.cellDir(plan.get(3).id()), "node-1", Instant.now());
    claim(f.cellDir(plan.get(4).id()), "node-2", Instant.now().minusSeconds(3600));
    Files.createDirectories(f.cellDir(Hashes.sha256("a cell of an older grid")));

    FolderStatus.Report r = FolderStatus.of(f, plan);
    assertThat(r.cells()).extracting(FolderStatus.CellState::state)
        .containsExactly(State.OK, State.FAILED, State.CANCELLED, State.RUNNING, State.ABANDONED, State.PENDING);
    assertThat(r.cells().get(1).detail()).isEqualTo("non-finite loss");
    assertThat(r.cells().get(3).detail()).contains("node-1").contains("slurm job 3_1");
    assertThat(r.foldersOutsidePlan()).isEqualTo(1);
    assertThat(r.counts().get(State.PENDING)).isEqualTo(1);
    assertThat(State.FAILED.unfinished(false)).isFalse();
    assertThat(State.FAILED.unfinished(true)).isTrue();
    assertThat(State.ABANDONED.unfinished(false)).isTrue();
    assertThat(State.RUNNING.unfinished(true)).isFalse();
  }

  static void claim(Path cellDir, String host, Instant beat) throws IOException {
    Files.createDirectories(cellDir);
    Path c = cellDir.resolve(CellClaim.FILE);
    Files.writeString(c, "{\"host\":\"" + host + "\",\"pid\":9,\"scheduler\":\"slurm job 3_1\",\"started_at\":\"" + beat + "\"}");
    Files.setLastModifiedTime(c, FileTime.from(beat));
  }

  @Test
  void thePlanFileRoundTripsAndIsNotRewrittenWhenUnchanged() throws Exception {
    PlanManifest p = new PlanManifest("g", "grids/g.yaml", "0123456789abcdef",
        List.of(new PlanManifest.Entry(0, Hashes.sha256("a"), "a"), new PlanManifest.Entry(1, Hashes.sha256("b"), "b")));
    p.write(dir);
    assertThat(PlanManifest.read(dir)).contains(p);
    FileTime before = Files.getLastModifiedTime(dir.resolve(PlanManifest.FILE));
    Files.setLastModifiedTime(dir.resolve(PlanManifest.FILE), FileTime.fromMillis(before.toMillis() - 60_000));
    p.write(dir);
    assertThat(Files.getLastModifiedTime(dir.resolve(PlanManifest.FILE)).toMillis()).isEqualTo(before.toMillis() - 60_000);
    assertThat(PlanManifest.read(dir.resolve("nowhere"))).isEmpty();
  }
}
