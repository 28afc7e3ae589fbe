package org.peftharness.cell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.grid.CellLayout;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.tasks.score.ScoreResult;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A cell's training, stored so its evaluations need not train again: every variable the training
 * or the method's initialisation set (the trained ones, frozen adapter factors, a residual weight,
 * the task head), bit for bit in {@code trained/variables.safetensors}, and what the training
 * measured in {@code trained/training.json}. The folder is written aside and moved into place, and
 * {@code training.json} is what marks it whole, so a kill while storing leaves no stored training.
 *
 * @param outcome what the training measured (counts, loss, time), for rows and evaluation records
 * @param inTraining the evaluations made during training, in order: of the reported split (for
 *     {@code select: best}) or of the held-out validation examples
 * @param selectedStep the step whose variables are stored: the last one, or with
 *     {@code select: validation} the one with the best validation score
 */
record TrainedState(Outcome outcome, List<StepScores> inTraining, int selectedStep) {
  static final String VARIABLES = "variables.safetensors";

  /** What a training produced and cost. */
  record Outcome(int steps, double finalLoss, double trainSeconds, long tokens, long trainableParams, long totalParams,
      String startedAt, String finishedAt) {
    double tokensPerSecond() {
      return trainSeconds > 0 ? tokens / trainSeconds : 0;
    }
  }

  /** The scores of one evaluation made during training. */
  record StepScores(int step, List<ScoreResult> scores) {}

  /** Fetches the variables from the session and stores them with the outcome. */
  static void save(Path cellDir, GraphModel<TFloat32> graph, Map<String, Variable<?>> variables, TrainedState state)
      throws IOException {
    Path target = CellLayout.trainedDir(cellDir);
    Path aside = cellDir.resolve("." + CellLayout.TRAINED + ".partial");
    deleteTree(aside);
    deleteTree(target);
    Files.createDirectories(aside);
    SafetensorsWriter.write(aside.resolve(VARIABLES), VariableValues.fetch(graph, variables), Map.of("format", "harness-trained-state"));
    Files.writeString(aside.resolve(CellLayout.TRAINED_MARKER), state.toJson());
    Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads a stored training's record (the variables are read by {@link #restore}). */
  static TrainedState read(Path cellDir) {
    Path file = CellLayout.trainedDir(cellDir).resolve(CellLayout.TRAINED_MARKER);
    try {
      JsonNode n = JsonDocument.MAPPER.readTree(Files.readString(file));
      JsonNode o = n.path("outcome");
      Outcome outcome = new Outcome(o.path("steps").asInt(), number(o.path("final_loss")),
          o.path("train_seconds").asDouble(), o.path("tokens").asLong(), o.path("trainable_params").asLong(),
          o.path("total_params").asLong(), o.path("started_at").asText(null), o.path("finished_at").asText(null));
      List<StepScores> steps = new ArrayList<>();
      for (JsonNode s : n.path("in_training_evaluations")) {
        List<ScoreResult> scores = new ArrayList<>();
        for (JsonNode r : s.path("scores")) {
          scores.add(new ScoreResult(r.path("task").asText(), r.path("task_version").asInt(), r.path("protocol").asText(),
              r.path("protocol_version").asInt(), r.path("metric").asText(), r.path("aggregation").asText(),
              r.path("higher_is_better").asBoolean(), number(r.path("value")), r.path("count").asInt()));
        }
        steps.add(new StepScores(s.path("step").asInt(), scores));
      }
      return new TrainedState(outcome, steps, n.path("selected_step").asInt(outcome.steps()));
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file, null, "cannot read the stored training: " + e.getMessage());
    }
  }

  /**
   * Assigns the stored values to the graph's variables of the same names: every stored variable
   * must be one of them, of the same shape, and every one of them must be stored.
   */
  static void restore(Path cellDir, GraphModel<TFloat32> graph, Map<String, Variable<?>> variables) {
    Path file = CellLayout.trainedDir(cellDir).resolve(VARIABLES);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      if (!st.names().equals(variables.keySet())) {
        throw new InvalidInputException(file, null, "holds " + st.names().size() + " variables, the cell's graph "
            + variables.size() + "; stored but not in the graph: " + difference(st.names(), variables.keySet())
            + ", in the graph but not stored: " + difference(variables.keySet(), st.names()));
      }
      Map<String, FloatTensor> values = new LinkedHashMap<>();
      for (Map.Entry<String, Variable<?>> e : variables.entrySet()) {
        FloatTensor value = st.readFloat(e.getKey());
        if (!Arrays.equals(value.shape(), e.getValue().shape().asArray())) {
          throw new InvalidInputException(file, null, e.getKey() + " has shape " + Arrays.toString(value.shape())
              + ", the graph's variable " + e.getValue().shape());
        }
        values.put(e.getKey(), value);
      }
      VariableValues.assign(graph, variables, values, "restore_trained");
    }
  }

  private static List<String> difference(Set<String> a, Set<String> b) {
    return a.stream().filter(x -> !b.contains(x)).sorted().limit(5).toList();
  }

  private String toJson() throws IOException {
    ObjectNode n = JsonDocument.MAPPER.createObjectNode();
    ObjectNode o = n.putObject("outcome");
    o.put("steps", outcome.steps()).put("train_seconds", outcome.trainSeconds())
        .put("tokens", outcome.tokens()).put("trainable_params", outcome.trainableParams())
        .put("total_params", outcome.totalParams()).put("started_at", outcome.startedAt())
        .put("finished_at", outcome.finishedAt());
    putNumber(o, "final_loss", outcome.finalLoss());
    n.put("selected_step", selectedStep);
    ArrayNode steps = n.putArray("in_training_evaluations");
    for (StepScores s : inTraining) {
      ObjectNode sn = steps.addObject().put("step", s.step());
      ArrayNode scores = sn.putArray("scores");
      for (ScoreResult r : s.scores()) {
        scores.addObject().put("task", r.task()).put("task_version", r.taskVersion()).put("protocol", r.protocol())
            .put("protocol_version", r.protocolVersion()).put("metric", r.metric()).put("aggregation", r.aggregation())
            .put("higher_is_better", r.higherIsBetter()).put("count", r.count());
        putNumber((ObjectNode) scores.get(scores.size() - 1), "value", r.value());
      }
    }
    return JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
  }

  /** JSON has no NaN: a number that is not finite is written as null and read back as NaN. */
  private static void putNumber(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, v);
    } else {
      n.putNull(key);
    }
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
