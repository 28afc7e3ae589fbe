package org.peftharness.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A grid's results folder: {@code cells/<id>/} per cell and {@code results.csv} over all cells.
 *
 * <p>Each cell's rows are first written whole to {@code cells/<id>/rows.csv} (atomically), one
 * evaluation's rows at a time: a cell is done when every evaluation it plans has rows there. {@code results.csv} is then rebuilt from
 * every cell's rows, in grid order, and replaced atomically while holding an exclusive lock on
 * {@code results.lock}. So a kill at any instant leaves whole rows only, a cell's rows appear once
 * however often it is committed, several processes (shards) can share the folder, and an
 * interrupted grid's results.csv is byte-identical (time columns aside) to an uninterrupted one's.
 */
public final class ResultsFolder {
  public static final String RESULTS_CSV = "results.csv";
  public static final String CELLS = "cells";
  public static final String ROWS_CSV = "rows.csv";
  /** Copies of the published-number files the grid is compared with ({@code harness run} writes them). */
  public static final String BASELINES = "baselines";
  private static final String LOCK = "results.lock";
  /** FileLock is per process; threads of one process queue here first. */
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();

  private final Path dir;

  public ResultsFolder(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path resultsCsv() {
    return dir.resolve(RESULTS_CSV);
  }

  public Path cellDir(String cellId) {
    return dir.resolve(CELLS).resolve(cellId);
  }

  public Path baselinesDir() {
    return dir.resolve(BASELINES);
  }

  /** The baseline files copied into {@code baselines/} ({@code *.yaml}, {@code *.yml}), by name; none without the folder. */
  public List<Path> baselineFiles() {
    Path d = baselinesDir();
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")))
          .sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a run skips this evaluation of the cell: it ended OK or FAILED (FAILED runs again with
   * {@code retryFailed}); a cancelled one runs again.
   */
  public boolean isDone(String cellId, String evalId, boolean retryFailed) {
    for (ResultRow r : rows(cellId)) {
      if (r.evalId().equals(evalId)) {
        return r.status().isFinal() && !(retryFailed && r.status() == CellStatus.FAILED);
      }
    }
    return false;
  }

  /** The cell's committed rows; none if it has not ended. */
  public List<ResultRow> rows(String cellId) {
    Path rows = cellDir(cellId).resolve(ROWS_CSV);
    return Files.isRegularFile(rows) ? ResultsCsv.read(rows) : List.of();
  }

  /** Claims a cell for this process unless another live process runs it (see {@link CellClaim}). */
  public Optional<CellClaim> claim(String cellId) {
    return CellClaim.tryAcquire(cellDir(cellId), Runner.current());
  }

  /** Records a finished cell's rows and rebuilds results.csv. Committing the same cell again replaces its rows. */
  public void commit(String cellId, List<ResultRow> rows) throws IOException {
    for (ResultRow r : rows) {
      if (!r.cellId().equals(cellId)) {
        throw new IllegalArgumentException("row of cell " + r.cellId() + " committed under " + cellId);
      }
    }
    AtomicFiles.write(cellDir(cellId).resolve(ROWS_CSV), ResultsCsv.format(rows));
    rebuild();
  }

  /**
   * Records one finished evaluation of a cell: its rows replace any earlier rows of the same
   * evaluation or of the same task and split (an evaluation with other settings supersedes the old
   * one; a task's held-out validation and its reported split are two evaluations), the cell's other
   * evaluations keep theirs, and results.csv is rebuilt.
   */
  public void commitEvaluation(String cellId, String evalId, String task, List<ResultRow> rows) throws IOException {
    for (ResultRow r : rows) {
      if (!r.evalId().equals(evalId) || !r.task().equals(task)) {
        throw new IllegalArgumentException("row of evaluation " + r.evalId() + " (" + r.task() + ") committed under " + evalId);
      }
    }
    String split = rows.isEmpty() ? "" : rows.get(0).split();
    List<ResultRow> all = new ArrayList<>();
    boolean placed = false;
    for (ResultRow r : rows(cellId)) {
      if (r.evalId().equals(evalId) || r.task().equals(task) && r.split().equals(split)) {
        if (!placed) {
          all.addAll(rows);
          placed = true;
        }
      } else {
        all.add(r);
      }
    }
    if (!placed) {
      all.addAll(rows);
    }
    commit(cellId, all);
  }

  /** Rewrites results.csv from the cells' rows, under the folder lock. */
  public void rebuild() throws IOException {
    Files.createDirectories(dir);
    IN_PROCESS.lock();
    try (FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      // only the lock's holder writes results.csv, so a temporary file of it now is a killed writer's
      AtomicFiles.deleteLeftovers(dir, 1, RESULTS_CSV);
      AtomicFiles.write(resultsCsv(), ResultsCsv.format(allCellRows()));
    } finally {
      IN_PROCESS.unlock();
    }
  }

  /**
   * What a run does first: results.csv is rebuilt from the cells' rows, which are the source of
   * truth, so a results.csv that a kill or a full disk tore, or that was deleted, never stops a resume.
   */
  public void resume() throws IOException {
    if (Files.isDirectory(dir.resolve(CELLS)) || Files.exists(resultsCsv())) {
      rebuild();
    }
  }

  /**
   * Clears what a kill left in a cell that a run skips as finished: a claim no live process holds,
   * and temporary files of interrupted atomic writes (left alone while a live process holds the cell).
   */
  public void clearLeftovers(String cellId) throws IOException {
    Path cell = cellDir(cellId);
    if (Files.isDirectory(cell) && CellClaim.clearAbandoned(cell, Runner.current())) {
      AtomicFiles.deleteLeftovers(cell, Integer.MAX_VALUE, null);
    }
  }

  /**
   * Every row of the folder for reading (report, check): from the cells' own rows when the folder
   * has them, since results.csv is only a copy that a kill may have torn; from results.csv alone
   * when that is all there is (a folder shared without its cells' rows).
   */
  public List<ResultRow> readRows() {
    List<ResultRow> cells = allCellRows();
    return cells.isEmpty() && Files.isRegularFile(resultsCsv()) ? ResultsCsv.read(resultsCsv()) : cells;
  }

  /** Every committed cell's rows in grid order (cell index, then cell id), rows in their written order. */
  public List<ResultRow> allCellRows() {
    Path cells = dir.resolve(CELLS);
    if (!Files.isDirectory(cells)) {
      return List.of();
    }
    List<List<ResultRow>> perCell = new ArrayList<>();
    try (Stream<Path> s = Files.list(cells)) {
      for (Path cell : (Iterable<Path>) s::iterator) {
        Path rows = cell.resolve(ROWS_CSV);
        if (Files.isRegularFile(rows)) {
          List<ResultRow> r = ResultsCsv.read(rows);
          if (!r.isEmpty()) {
            perCell.add(r);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    perCell.sort(Comparator.<List<ResultRow>>comparingInt(r -> r.get(0).cellIndex()).thenComparing(r -> r.get(0).cellId()));
    List<ResultRow> all = new ArrayList<>();
    perCell.forEach(all::addAll);
    return all;
  }
}
