package org.peftharness.cell;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.peftharness.core.files.TextFiles;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.grid.CellLayout;
import org.peftharness.results.CellStatus;
import org.peftharness.results.ResultRow;
import org.peftharness.results.ResultsCsv;
import org.peftharness.results.ResultsFolder;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.Prediction;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.score.ScoringService;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;

/**
 * {@code harness rescore}: every finished evaluation's stored generations ({@code
 * cells/<id>/eval/<task>/generations.jsonl}) scored again with the current protocols; rows are added
 * for protocol versions the evaluation does not have yet, and existing rows are never changed, so a
 * protocol fix shows beside the numbers it replaces.
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
      if (!Files.isRegularFile(rowsFile) || !Files.isRegularFile(dir.resolve(ProvenanceIO.FILE))) {
        continue;
      }
      List<ResultRow> rows = new ArrayList<>(ResultsCsv.read(rowsFile));
      CellRecord rec = null;
      int before = rows.size();
      // the reported splits' generations; held-out validation examples choose configurations and are not rescored
      for (String taskName : rows.stream().filter(r -> r.status() == CellStatus.OK && !r.isValidation()).map(ResultRow::task)
          .distinct().toList()) {
        Path generations = CellLayout.evalDir(dir, taskName).resolve("generations.jsonl");
        if (!Files.isRegularFile(generations)) {
          continue;
        }
        rec = rec == null ? CellRecord.read(dir) : rec;
        TaskSpec task = TaskRegistry.builtin().get(taskName);
        Path data = dataDir != null ? dataDir : rec.dataDir();
        List<String> lines = TextFiles.readUtf8(generations).lines().toList();
        List<Example> examples = TaskData.examples(task, data, Split.EVAL);
        if (lines.size() > examples.size()) {
          throw new InvalidInputException(generations, examples.size() + 1, null, "has " + lines.size()
              + " generations but the evaluation file has " + examples.size() + " examples (a different data folder?)");
        }
        List<Example> gold = examples.subList(0, lines.size());
        Prediction[] preds = predictions(task, generations, lines);
        List<ResultRow> mine = rows.stream().filter(r -> r.task().equals(taskName) && !r.isValidation()).toList();
        Set<String> have = new HashSet<>();
        mine.forEach(r -> have.add(r.protocol() + "@v" + r.protocolVersion() + "/" + r.metric()));
        ResultRow t = mine.get(0);
        int at = rows.indexOf(mine.get(mine.size() - 1)) + 1;
        for (ScoreResult s : new ScoringService().score(task, gold, preds, null)) {
          if (have.add(s.key())) {
            rows.add(at++, new ResultRow(t.grid(), t.cellId(), t.cellIndex(), t.model(), t.method(), t.rank(), t.task(), t.seed(),
                CellStatus.OK, s.metric(), s.protocol(), s.protocolVersion(), s.value(), s.count(), s.higherIsBetter(),
                t.trainableParams(), t.totalParams(), t.tokensPerSecond(), t.wallSeconds(), t.startedAt(), t.finishedAt(),
                t.harnessVersion(), t.gitCommit(), null, t.trainOn(), t.evalId(), t.sweep(), t.split(), t.selection(), t.precision()));
          }
        }
      }
      if (rows.size() > before) {
        folder.commit(rows.get(0).cellId(), rows);
        added += rows.size() - before;
        report.accept(rec.cell().label(), rows.size() - before);
      }
    }
    return added;
  }

  /**
   * The stored outputs, one line of {@code generations.jsonl} each, as the task's kind reads them. A
   * line that is not a JSON object with an integer index (a file cut by a kill or a full disk) is
   * reported by file and line.
   */
  private static Prediction[] predictions(TaskSpec task, Path file, List<String> lines) {
    Prediction[] preds = new Prediction[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      JsonNode g;
      try {
        g = JsonDocument.MAPPER.readTree(lines.get(i));
      } catch (JsonProcessingException e) {
        throw new InvalidInputException(file, i + 1, null, "not a JSON line (the file was cut short?): " + e.getOriginalMessage());
      }
      if (g == null || !g.isObject() || !g.path("index").isIntegralNumber()) {
        throw new InvalidInputException(file, i + 1, "index", "expected a JSON object with an integer index (the file was cut short?)");
      }
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
