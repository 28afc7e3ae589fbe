package org.peftharness.results.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * A plausible results folder for tests: the seven methods on MiniLM and one generated task, two
 * ranks (full fine-tuning has none) and two seeds, with one failed and one cancelled cell, loss
 * curves (one cut short as a kill leaves it), provenance files and, for each finished cell, the
 * per-example verdicts of its evaluation on {@link #EXAMPLES} examples. Values are fixed, not random,
 * so tests can state exact expectations.
 */
public final class SyntheticResults {
  private SyntheticResults() {}

  public static final String TASK = "synthetic-sentiment";
  public static final String MODEL = "minilm";
  public static final List<String> METHODS = List.of("full", "lora", "lora-fa", "pissa", "lora-ga", "lora-xs", "lora-sb");
  public static final List<Integer> RANKS = List.of(8, 16);
  public static final List<Long> SEEDS = List.of(1L, 2L);
  /** lora-ga r16 seed 2 diverged; pissa r8 seed 2 was interrupted. */
  public static final String FAILED_REASON = "loss diverged (NaN) at step 40 | lr 1e-3";
  public static final String CANCELLED_REASON = "interrupted (SIGTERM)";
  /** Evaluation examples per cell: every accuracy below is a whole number of them. */
  public static final int EXAMPLES = 1000;

  public record Cell(String method, Integer rank, long seed, CellStatus status, long params, double accuracy) {
    public String id() {
      return String.format(Locale.ROOT, "%s-r%s-s%d", method, rank == null ? "x" : rank.toString(), seed);
    }
  }

  public static long params(String method, Integer rank) {
    // all-MiniLM-L6-v2: 6 layers, d = 384, adapters on q and v (12 matrices), plus a 2-class head
    long head = 384 * 2 + 2;
    return switch (method) {
      case "full" -> 22_713_216L + head;
      case "lora", "pissa", "lora-ga" -> 12L * 2 * 384 * rank + head;
      case "lora-fa" -> 12L * 384 * rank + head;
      case "lora-xs", "lora-sb" -> 12L * rank * rank + head;
      default -> throw new IllegalArgumentException(method);
    };
  }

  /** Mean accuracy of a method at a rank; seeds differ by +-spread. */
  public static double base(String method, Integer rank) {
    double b = switch (method) {
      case "full" -> 0.912;
      case "lora" -> 0.884;
      case "lora-fa" -> 0.871;
      case "pissa" -> 0.889;
      case "lora-ga" -> 0.893;
      case "lora-xs" -> 0.842;
      case "lora-sb" -> 0.866;
      default -> throw new IllegalArgumentException(method);
    };
    return rank != null && rank == 16 ? b + 0.006 : b;
  }

  public static List<Cell> cells() {
    List<Cell> out = new ArrayList<>();
    for (String m : METHODS) {
      List<Integer> ranks = m.equals("full") ? java.util.Collections.singletonList(null) : RANKS;
      for (Integer r : ranks) {
        for (long s : SEEDS) {
          CellStatus st = CellStatus.OK;
          if (m.equals("lora-ga") && Integer.valueOf(16).equals(r) && s == 2) {
            st = CellStatus.FAILED;
          } else if (m.equals("pissa") && Integer.valueOf(8).equals(r) && s == 2) {
            st = CellStatus.CANCELLED;
          }
          double spread = m.equals("lora-xs") ? 0.012 : 0.004;
          out.add(new Cell(m, r, s, st, params(m, r), base(m, r) + (s == 1 ? -spread : spread)));
        }
      }
    }
    return out;
  }

  /** Writes the folder; returns it. */
  public static Path write(Path dir) throws IOException {
    ResultsFolder folder = new ResultsFolder(dir);
    int index = 0;
    for (Cell c : cells()) {
      String start = String.format(Locale.ROOT, "2026-08-01T10:%02d:00Z", index % 60);
      String end = String.format(Locale.ROOT, "2026-08-01T10:%02d:30Z", index % 60);
      ResultRow row = c.status() == CellStatus.OK
          ? new ResultRow("quickstart", c.id(), index, MODEL, c.method(), c.rank(), TASK, c.seed(), CellStatus.OK,
              "accuracy", "glue-label", 1, c.accuracy(), EXAMPLES, true, c.params(), 22_713_986L, 1500.0, 30.0, start, end,
              "0.1.0-SNAPSHOT", "abc1234", null)
          : new ResultRow("quickstart", c.id(), index, MODEL, c.method(), c.rank(), TASK, c.seed(), c.status(), null, null,
              null, null, null, null, null, null, null, 12.0, start, end, "0.1.0-SNAPSHOT", "abc1234",
              c.status() == CellStatus.FAILED ? FAILED_REASON : CANCELLED_REASON);
      folder.commit(c.id(), List.of(row));
      Path cellDir = folder.cellDir(c.id());
      Files.writeString(cellDir.resolve("metrics.jsonl"), metrics(c));
      if (c.status() == CellStatus.OK) {
        Path eval = Files.createDirectories(cellDir.resolve("eval").resolve(TASK));
        Files.writeString(eval.resolve("verdicts.jsonl"), verdicts(c));
      }
      Files.writeString(cellDir.resolve("provenance.json"), """
          {"config": {"method": "%s", "rank": %s, "seed": %d},
           "observed": {"git_commit": "abc1234", "git_dirty": false, "harness_version": "0.1.0-SNAPSHOT",
             "versions": {"java": "17.0.15", "tf_java": "1.1.0"},
             "system": {"os": "Linux 6.1", "arch": "amd64", "cpu": "Test CPU @ 2.0GHz", "gpu": "none"},
             "peak_memory_bytes": %d}}
          """.formatted(c.method(), c.rank() == null ? "null" : c.rank().toString(), c.seed(), 1_000_000 + index));
      index++;
    }
    return dir;
  }

  /**
   * verdicts.jsonl as the scorer writes it for a classification task: the cell is right on the
   * examples that are easiest for it, by a difficulty all cells share plus noise of its own, so
   * cells agree on most examples as trained models do, and it is right on exactly accuracy x
   * {@link #EXAMPLES} of them.
   */
  public static String verdicts(Cell c) {
    Random shared = new Random(11);
    double[] difficulty = new double[EXAMPLES];
    int[] gold = new int[EXAMPLES];
    for (int i = 0; i < EXAMPLES; i++) {
      difficulty[i] = shared.nextGaussian();
      gold[i] = shared.nextInt(2);
    }
    Random own = new Random(c.id().hashCode());
    double[] score = new double[EXAMPLES];
    Integer[] order = new Integer[EXAMPLES];
    for (int i = 0; i < EXAMPLES; i++) {
      score[i] = difficulty[i] + 0.5 * own.nextGaussian();
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    long right = Math.round(c.accuracy() * EXAMPLES);
    boolean[] correct = new boolean[EXAMPLES];
    for (int k = 0; k < right; k++) {
      correct[order[k]] = true;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < EXAMPLES; i++) {
      int label = correct[i] ? gold[i] : 1 - gold[i];
      sb.append(String.format(Locale.ROOT, "{\"index\":%d,\"gold\":%d,\"label\":%d,\"correct\":%b}\n", i, gold[i], label,
          correct[i]));
    }
    return sb.toString();
  }

  private static String metrics(Cell c) {
    StringBuilder sb = new StringBuilder();
    int steps = c.status() == CellStatus.OK ? 64 : 40;
    double floor = 1 - c.accuracy();
    for (int step = 1; step <= steps; step++) {
      double loss = floor + (0.69 - floor) * Math.exp(-step / (c.method().startsWith("lora-x") ? 20.0 : 10.0))
          + 0.01 * Math.sin(step + c.seed());
      if (c.status() == CellStatus.FAILED && step == 40) {
        sb.append("{\"step\":40,\"loss\":NaN,\"lr\":0.001}\n");
        continue;
      }
      sb.append(String.format(Locale.ROOT, "{\"step\":%d,\"loss\":%.6f,\"lr\":%.6g}\n", step, loss, 1e-3 * (1 - step / 64.0)));
      if (step % 32 == 0) {
        sb.append(String.format(Locale.ROOT, "{\"step\":%d,\"eval\":{\"glue-label@v1/accuracy\":%.4f}}\n", step, c.accuracy()));
      }
    }
    if (c.status() == CellStatus.CANCELLED) {
      sb.append("{\"step\":41,\"lo"); // cut short by the kill
    }
    return sb.toString();
  }
}
