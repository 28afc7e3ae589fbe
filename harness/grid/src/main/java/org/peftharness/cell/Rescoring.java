package org.peftharness.cell;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import java.util.stream.Stream;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.ResultsFolder;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.Prediction;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.score.ScoringService;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;

/**
 * {@code harness rescore}: every finished cell's stored generations scored again with the current
 * protocols; rows are added for protocol versions the cell does not have yet, and existing rows
 * are never changed, so a protocol fix shows beside the numbers it replaces.
 */
public final class Rescoring {
  private Rescoring() {}

  /**
   * @param dataDir the data folder, or null for the one each cell recorded
   * @param report hears each cell that gained rows, with how many
   * @return the number of rows added
   */
  public static int rescore(Path results, Path dataDir, ObjIntConsumer<String> report) throws IOException {
    ResultsFolder folder = new ResultsFolder(results);
    Path cells = results.resolve(ResultsFolder.CELLS);
    if (!Files.isDirectory(cells)) {
      throw new InvalidInputException(results, null, "no cells/ folder: not a results folder");
    }
    int added = 0;
    List<Path> dirs;
    try (Stream<Path> s = Files.list(cells)) {
      dirs = s.sorted().toList();
    }
    for (Path dir : dirs) {
      Path rowsFile = dir.resolve(ResultsFolder.ROWS_CSV);
      if (!Files.isRegularFile(rowsFile) || !Files.isRegularFile(dir.resolve("generations.jsonl"))) {
        continue;
      }
      List<ResultRow> rows = ResultsCsv.read(rowsFile);
      if (rows.isEmpty() || rows.get(0).status() != CellStatus.OK) {
        continue;
      }
      CellRecord rec = CellRecord.read(dir);
      TaskSpec task = TaskRegistry.builtin().get(rec.cell().task());
      Path data = dataDir != null ? dataDir : rec.dataDir();
      List<String> lines = Files.readAllLines(dir.resolve("generations.jsonl"));
      List<Example> gold = TaskData.examples(task, data, Split.EVAL).subList(0, lines.size());
      Prediction[] preds = predictions(task, lines);
      Set<String> have = new HashSet<>();
      rows.forEach(r -> have.add(r.protocol() + "@v" + r.protocolVersion() + "/" + r.metric()));
      List<ResultRow> out = new ArrayList<>(rows);
      ResultRow t = rows.get(0);
      int before = out.size();
      for (ScoreResult s : new ScoringService().score(task, gold, preds, null)) {
        if (have.add(s.key())) {
          out.add(new ResultRow(t.grid(), t.cellId(), t.cellIndex(), t.model(), t.method(), t.rank(), t.task(), t.seed(),
              CellStatus.OK, s.metric(), s.protocol(), s.protocolVersion(), s.value(), s.count(), s.higherIsBetter(),
              t.trainableParams(), t.totalParams(), t.tokensPerSecond(), t.wallSeconds(), t.startedAt(), t.finishedAt(),
              t.harnessVersion(), t.gitCommit(), null));
        }
      }
      if (out.size() > before) {
        folder.commit(t.cellId(), out);
        added += out.size() - before;
        report.accept(rec.cell().label(), out.size() - before);
      }
    }
    return added;
  }

  /** The stored outputs, one line of {@code generations.jsonl} each, as the task's kind reads them. */
  private static Prediction[] predictions(TaskSpec task, List<String> lines) throws IOException {
    Prediction[] preds = new Prediction[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      JsonNode g = JsonDocument.MAPPER.readTree(lines.get(i));
      int index = g.path("index").asInt();
      preds[i] = switch (task.kind()) {
        case GENERATION -> Prediction.output(index, g.path("output").asText());
        case REGRESSION -> Prediction.score(index, g.path("score").asDouble());
        case CLASSIFICATION -> Prediction.label(index, g.path("label").asInt());
      };
    }
    return preds;
  }
}
