package org.peftharness.tasks.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.metric.Metrics;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.MetricSpec;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;

/**
 * Scores a predictions file against a task's evaluation file under every protocol and metric the
 * task declares. {@code harness score} is a thin wrapper over this.
 */
public final class ScoringService {
  /** Protocol names for encoder tasks, whose predictions are compared as they are. */
  public static final String LABEL_PROTOCOL = "glue-label";

  public static final String SCORE_PROTOCOL = "glue-score";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TaskRegistry registry;

  public ScoringService(TaskRegistry registry) {
    this.registry = registry;
  }

  public ScoringService() {
    this(TaskRegistry.builtin());
  }

  public List<ScoreResult> score(String taskName, Path dataDir, Path predictions) {
    return score(taskName, dataDir, predictions, null);
  }

  /**
   * @param verdictsOut where to write one JSON line per example (gold, prediction, and per
   *     protocol the extracted answer and verdict), or null
   * @throws org.peftharness.core.InvalidInputException for an unknown task, a missing or bad data
   *     file, or a predictions file with a malformed line, a missing or a duplicate index
   */
  public List<ScoreResult> score(String taskName, Path dataDir, Path predictions, Path verdictsOut) {
    TaskSpec task = registry.get(taskName);
    List<Example> gold = TaskData.examples(task, dataDir, Split.EVAL);
    Prediction[] preds = PredictionsReader.read(predictions, task, gold.size());
    return score(task, gold, preds, verdictsOut);
  }

  /**
   * Scores predictions held in memory, aligned with {@code gold} (which may be the first N
   * examples of the evaluation file): what a run calls after evaluating.
   */
  public List<ScoreResult> score(TaskSpec task, List<Example> gold, Prediction[] preds, Path verdictsOut) {
    if (preds.length != gold.size()) {
      throw new IllegalArgumentException(preds.length + " predictions for " + gold.size() + " examples");
    }
    List<ObjectNode> verdicts = new ArrayList<>(gold.size());
    for (Example ex : gold) {
      ObjectNode v = JSON.createObjectNode();
      v.put("index", ex.index());
      verdicts.add(v);
    }
    List<ScoreResult> results =
        switch (task.kind()) {
          case GENERATION -> generation(task, gold, preds, verdicts);
          case CLASSIFICATION -> classification(task, gold, preds, verdicts);
          case REGRESSION -> regression(task, gold, preds, verdicts);
        };
    if (verdictsOut != null) {
      writeJsonl(verdictsOut, verdicts);
    }
    return results;
  }

  private static List<ScoreResult> generation(TaskSpec task, List<Example> gold, Prediction[] preds, List<ObjectNode> verdicts) {
    List<ScoreResult> out = new ArrayList<>();
    for (int i = 0; i < gold.size(); i++) {
      verdicts.get(i).put("gold", gold.get(i).gold().answer());
    }
    for (Protocol p : task.protocols()) {
      boolean[] correct = new boolean[gold.size()];
      for (int i = 0; i < gold.size(); i++) {
        Verdict v = p.judge(preds[i].output(), gold.get(i).gold().answer());
        correct[i] = v.correct();
        ObjectNode node = verdicts.get(i).putObject(p.name());
        node.put("extracted", v.extracted());
        node.put("correct", v.correct());
      }
      for (MetricSpec m : task.metrics()) {
        // generation tasks declare accuracy only (the parser checks metric/kind fit)
        out.add(result(task, p.name(), p.version(), m, Metrics.accuracy(correct), gold.size()));
      }
    }
    return out;
  }

  private static List<ScoreResult> classification(TaskSpec task, List<Example> gold, Prediction[] preds, List<ObjectNode> verdicts) {
    int n = gold.size();
    int[] g = new int[n];
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      g[i] = gold.get(i).gold().label();
      p[i] = preds[i].label();
      verdicts.get(i).put("gold", g[i]).put("label", p[i]).put("correct", g[i] == p[i]);
    }
    List<ScoreResult> out = new ArrayList<>();
    for (MetricSpec m : task.metrics()) {
      double v =
          switch (m.metric()) {
            case ACCURACY -> Metrics.accuracy(g, p);
            case MCC -> Metrics.matthews(g, p);
            case F1 -> Metrics.f1(g, p, 1);
            default -> throw new IllegalStateException(m.metric() + " on a classification task");
          };
      out.add(result(task, LABEL_PROTOCOL, 1, m, v, n));
    }
    return out;
  }

  private static List<ScoreResult> regression(TaskSpec task, List<Example> gold, Prediction[] preds, List<ObjectNode> verdicts) {
    int n = gold.size();
    double[] g = new double[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = gold.get(i).gold().score();
      p[i] = preds[i].score();
      verdicts.get(i).put("gold", g[i]).put("label", p[i]);
    }
    List<ScoreResult> out = new ArrayList<>();
    for (MetricSpec m : task.metrics()) {
      double v =
          switch (m.metric()) {
            case PEARSON -> Metrics.pearson(g, p);
            case SPEARMAN -> Metrics.spearman(g, p);
            default -> throw new IllegalStateException(m.metric() + " on a regression task");
          };
      out.add(result(task, SCORE_PROTOCOL, 1, m, v, n));
    }
    return out;
  }

  private static ScoreResult result(TaskSpec task, String protocol, int version, MetricSpec m, double value, int count) {
    return new ScoreResult(task.name(), task.version(), protocol, version, m.metric().id(), m.aggregation(), m.higherIsBetter(), value, count);
  }

  private static void writeJsonl(Path file, List<ObjectNode> rows) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (ObjectNode r : rows) {
          w.write(JSON.writeValueAsString(r));
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
