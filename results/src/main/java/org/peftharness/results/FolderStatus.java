package org.peftharness.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * Where each cell of a plan stands in a results folder, read from the folder alone, so it is the
 * same whether the cells ran here, on Slurm, on Kubernetes or on GPU workers: finished cells have
 * rows, running ones a live claim, abandoned ones a claim whose process is gone.
 */
public final class FolderStatus {
  public enum State {
    OK, FAILED, CANCELLED, RUNNING, ABANDONED, PENDING;

    /** Whether a run or a submission would (re)run a cell in this state. */
    public boolean unfinished(boolean retryFailed) {
      return this == CANCELLED || this == ABANDONED || this == PENDING || (retryFailed && this == FAILED);
    }
  }

  /** One cell: its state, and the reason (failed), or who holds it and since when (running, abandoned). */
  public record CellState(PlanManifest.Entry cell, State state, String detail, Instant since) {}

  public record Report(List<CellState> cells, int foldersOutsidePlan) {
    public Map<State, Integer> counts() {
      Map<State, Integer> m = new EnumMap<>(State.class);
      for (State s : State.values()) {
        m.put(s, 0);
      }
      cells.forEach(c -> m.merge(c.state(), 1, Integer::sum));
      return m;
    }

    public List<CellState> in(State state) {
      return cells.stream().filter(c -> c.state() == state).toList();
    }

    /** Every state's count on one line: {@code 3 ok, 0 failed, ..., 1 pending}. */
    public String summaryLine() {
      StringJoiner line = new StringJoiner(", ");
      counts().forEach((s, n) -> line.add(n + " " + s.name().toLowerCase(Locale.ROOT)));
      return line.toString();
    }
  }

  private FolderStatus() {}

  public static Report of(ResultsFolder folder, List<PlanManifest.Entry> plan) {
    Runner me = Runner.current();
    Instant now = Instant.now();
    List<CellState> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (PlanManifest.Entry e : plan) {
      ids.add(e.id());
      out.add(state(folder, e, me, now));
    }
    int outside = 0;
    Path cells = folder.dir().resolve(ResultsFolder.CELLS);
    if (Files.isDirectory(cells)) {
      try (Stream<Path> s = Files.list(cells)) {
        outside = (int) s.filter(p -> !ids.contains(p.getFileName().toString())).count();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Report(out, outside);
  }

  static CellState state(ResultsFolder folder, PlanManifest.Entry e, Runner me, Instant now) {
    Path dir = folder.cellDir(e.id());
    List<ResultRow> rows = folder.rows(e.id());
    if (!rows.isEmpty()) {
      ResultRow r = rows.get(0);
      State s = switch (r.status()) {
        case OK -> State.OK;
        case FAILED -> State.FAILED;
        case CANCELLED -> State.CANCELLED;
      };
      return new CellState(e, s, r.reason(), r.finishedAt() == null ? null : Instant.parse(r.finishedAt()));
    }
    Optional<CellClaim.Holder> h = CellClaim.read(dir);
    if (h.isPresent()) {
      CellClaim.Holder c = h.get();
      String who = c.runner().host() + " pid " + c.runner().pid() + " (" + c.runner().scheduler() + ")";
      return c.isLive(me, now) ? new CellState(e, State.RUNNING, who, c.startedAt())
          : new CellState(e, State.ABANDONED, who + ", last heartbeat " + c.heartbeat(), c.startedAt());
    }
    return new CellState(e, State.PENDING, null, null);
  }
}
