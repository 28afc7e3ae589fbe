package org.peftharness.ci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsFolder;

/**
 * Results folders built cell by cell for the noise rule's tests: model minilm, task t, protocol
 * glue-label, each cell one seed of one method with a known accuracy on a known number of
 * examples, with or without its per-example verdicts.
 */
final class TinyResults {
  static final String MODEL = "minilm";
  static final String TASK = "t";

  private final ResultsFolder folder;
  private int index;

  TinyResults(Path dir) {
    this.folder = new ResultsFolder(dir);
  }

  Path dir() {
    return folder.dir();
  }

  /** A finished cell right on {@code correct} of {@code n} examples (the first ones), with verdicts.jsonl. */
  TinyResults accuracy(String method, long seed, int correct, int n) throws IOException {
    String id = commit(method, seed, "accuracy", (double) correct / n, n);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      boolean ok = i < correct;
      sb.append(String.format(Locale.ROOT, "{\"index\":%d,\"gold\":1,\"label\":%d,\"correct\":%b}\n", i, ok ? 1 : 0, ok));
    }
    writeVerdicts(id, sb.toString());
    return this;
  }

  /** The same without verdicts.jsonl, as results.csv alone or an older folder has it. */
  TinyResults accuracyWithoutVerdicts(String method, long seed, double value, Integer n) throws IOException {
    commit(method, seed, "accuracy", value, n);
    return this;
  }

  /** A finished cell of a label metric (mcc, f1) with its gold and predicted labels in verdicts.jsonl. */
  TinyResults labels(String method, long seed, String metric, double value, int[] gold, int[] predicted, boolean verdicts)
      throws IOException {
    String id = commit(method, seed, metric, value, gold.length);
    if (verdicts) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < gold.length; i++) {
        sb.append(String.format(Locale.ROOT, "{\"index\":%d,\"gold\":%d,\"label\":%d,\"correct\":%b}\n", i, gold[i],
            predicted[i], gold[i] == predicted[i]));
      }
      writeVerdicts(id, sb.toString());
    }
    return this;
  }

  static String id(String method, long seed) {
    return method + "-r8-s" + seed;
  }

  private String commit(String method, long seed, String metric, double value, Integer n) throws IOException {
    String id = id(method, seed);
    folder.commit(id, List.of(new ResultRow("tiny", id, index++, MODEL, method, 8, TASK, seed, CellStatus.OK, metric,
        "glue-label", 1, value, n, true, 1000L, 22_000_000L, 1000.0, 10.0, "2026-11-29T10:00:00Z", "2026-11-29T10:00:10Z",
        "0.1.0-SNAPSHOT", "abc1234", null)));
    return id;
  }

  private void writeVerdicts(String cellId, String text) throws IOException {
    Path eval = Files.createDirectories(folder.cellDir(cellId).resolve("eval").resolve(TASK));
    Files.writeString(eval.resolve("verdicts.jsonl"), text);
  }
}
