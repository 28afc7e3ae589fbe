package org.peftharness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.peftharness.cell.CellRecord;
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
import org.peftharness.tasks.spec.TaskKind;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code harness rescore RESULTS_DIR}: score the stored generations again with the current
 * protocols, adding rows for protocol versions not yet in the results; existing rows stay as they are.
 */
@Command(name = "rescore",
    description = {"Score every finished cell's stored generations with the current protocols and add rows under "
        + "protocol versions the results do not have yet.",
        "Existing rows are never changed."})
final class RescoreCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RESULTS_DIR") Path results;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (default: the one each cell recorded).") Path dataDir;

  @Override
  public Integer call() throws IOException {
    ResultsFolder folder = new ResultsFolder(results);
    Path cells = results.resolve(ResultsFolder.CELLS);
    if (!Files.isDirectory(cells)) {
      throw new InvalidInputException(results, null, "no cells/ folder: not a results folder");
    }
    PrintWriter o = spec.commandLine().getOut();
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
      Prediction[] preds = new Prediction[lines.size()];
      for (int i = 0; i < lines.size(); i++) {
        JsonNode g = JsonDocument.MAPPER.readTree(lines.get(i));
        int index = g.path("index").asInt();
        preds[i] = task.kind() == TaskKind.GENERATION ? Prediction.output(index, g.path("output").asText())
            : task.kind() == TaskKind.REGRESSION ? Prediction.score(index, g.path("score").asDouble())
            : Prediction.label(index, g.path("label").asInt());
      }
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
        o.printf("%s: %d new row(s)%n", rec.cell().label(), out.size() - before);
      }
    }
    o.println(added == 0 ? "nothing to add: every protocol version is already scored" : added + " row(s) added to " + folder.resultsCsv());
    o.flush();
    return 0;
  }
}
