package org.peftharness.cell;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.grid.CanonicalJson;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellRows;
import org.peftharness.grid.Evaluation;
import org.peftharness.results.AtomicFiles;
import org.peftharness.results.Hashes;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.Observed;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.tasks.training.ValidationHoldout;

/**
 * {@code eval/<task>/evaluation.json} (or {@code validation/<task>/}): what one evaluation of a cell read and when, beside the
 * cell's training record ({@code provenance.json}). It says whether the training ran in the same
 * process or was restored from {@code trained/}, and when that training started, so the one
 * training behind several evaluations is visible.
 */
final class EvaluationRecord {
  static final String FILE = "evaluation.json";
  static final int SCHEMA = 1;

  private EvaluationRecord() {}

  /**
   * @param holdout the held-out validation examples an evaluation of them read (their draw is
   *     recorded with the training file's hashes), null for a task's reported split
   */
  static void write(Path evalDir, Cell cell, Evaluation e, TaskSpec task, Path dataDir, ValidationHoldout holdout,
      String promptHash, boolean restored, TrainedState trained, Instant start, Instant end, BuildInfo build)
      throws IOException {
    TrainedState.Outcome training = trained.outcome();
    ObjectNode n = JsonDocument.MAPPER.createObjectNode();
    n.put("schema", SCHEMA);
    n.put("eval_id", e.id());
    n.put("cell_id", cell.id());
    n.put("index", e.index());
    n.put("task", task.name()).put("task_version", task.version());
    n.set("configured", JsonDocument.MAPPER.valueToTree(e.config()));
    ObjectNode data = n.putObject("eval_data");
    Set<Path> seen = new HashSet<>();
    for (Path src : task.reader().sources(TaskData.file(task, dataDir, holdout != null ? Split.TRAIN : Split.EVAL))) {
      if (seen.add(src)) {
        data.put(src.getFileName().toString(), Hashes.sha256(src));
      }
    }
    if (holdout != null) {
      n.put("split", e.split());
      ObjectNode held = n.putObject("held_out");
      HeldOutRecord.of(holdout).forEach(held::put);
    }
    n.put("precision", CellRows.precision(cell, e));
    n.put("data_dir", dataDir.toAbsolutePath().toString());
    n.put("prompts_targets_sha256", promptHash);
    ObjectNode t = n.putObject("training");
    t.put("source", restored ? "restored from trained/" : "trained in this process");
    t.put("started_at", training.startedAt()).put("finished_at", training.finishedAt()).put("steps", training.steps())
        .put("selection", cell.selection()).put("selected_step", trained.selectedStep());
    n.set("software", JsonDocument.MAPPER.valueToTree(Observed.Software.of(build)));
    n.put("started_at", start.toString()).put("finished_at", end.toString());
    n.put("wall_s", (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    AtomicFiles.write(evalDir.resolve(FILE), JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
  }

  /** An evaluation rebuilt from its record (for {@code reproduce}); its id is recomputed from the configuration. */
  static Evaluation read(Path evalDir) {
    Path file = evalDir.resolve(FILE);
    try {
      JsonNode n = JsonDocument.MAPPER.readTree(Files.readString(file));
      Map<String, Object> config = JsonDocument.MAPPER.convertValue(n.path("configured"), new TypeReference<TreeMap<String, Object>>() {});
      String json = CanonicalJson.of(config);
      return new Evaluation(n.path("index").asInt(), Hashes.sha256(json), n.path("task").asText(), config, json);
    } catch (IOException | RuntimeException ex) {
      throw new InvalidInputException(file, null, "cannot read the evaluation record: " + ex.getMessage());
    }
  }
}
