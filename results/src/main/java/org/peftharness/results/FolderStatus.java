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
    Optional<CellClaim.Holder> h = CellClaim.read(dir);
    if (h.isPresent() && h.get().isLive(me, now)) {
      CellClaim.Holder c = h.get();
      return new CellState(e, State.RUNNING, who(c) + progress(e, rows), c.startedAt());
    }
    // one row per evaluation stands for it: the first of each (a plan without evaluations: the cell's first)
    List<ResultRow> ended = new ArrayList<>();
    if (e.evaluations().isEmpty()) {
      rows.stream().findFirst().ifPresent(ended::add);
    } else {
      for (PlanManifest.EvaluationEntry ev : e.evaluations()) {
        rows.stream().filter(r -> r.evalId().equals(ev.id())).findFirst().ifPresent(ended::add);
      }
    }
    int planned = Math.max(1, e.evaluations().size());
    Optional<ResultRow> cancelled = ended.stream().filter(r -> r.status() == CellStatus.CANCELLED).findFirst();
    if (cancelled.isPresent()) {
      return new CellState(e, State.CANCELLED, cancelled.get().reason(), finished(cancelled.get()));
    }
    if (ended.size() == planned) {
      Optional<ResultRow> failed = ended.stream().filter(r -> r.status() == CellStatus.FAILED).findFirst();
      ResultRow last = ended.get(ended.size() - 1);
      return failed.map(f -> new CellState(e, State.FAILED, (planned > 1 ? f.task() + ": " : "") + f.reason(), finished(f)))
          .orElse(new CellState(e, State.OK, null, finished(last)));
    }
    if (h.isPresent()) {
      CellClaim.Holder c = h.get();
      return new CellState(e, State.ABANDONED, who(c) + ", last heartbeat " + c.heartbeat() + progress(e, rows), c.startedAt());
    }
    return new CellState(e, State.PENDING, ended.isEmpty() ? null : ended.size() + " of " + planned + " evaluations done", null);
  }

  private static String who(CellClaim.Holder c) {
    return c.runner().host() + " pid " + c.runner().pid() + " (" + c.runner().scheduler() + ")";
  }

  private static String progress(PlanManifest.Entry e, List<ResultRow> rows) {
    if (e.evaluations().size() < 2) {
      return "";
    }
    long done = e.evaluations().stream().filter(ev -> rows.stream().anyMatch(r -> r.evalId().equals(ev.id()))).count();
    return "; " + done + " of " + e.evaluations().size() + " evaluations done";
  }

  private static Instant finished(ResultRow r) {
    return r.finishedAt() == null ? null : Instant.parse(r.finishedAt());
  }
}
