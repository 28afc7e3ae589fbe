package org.peftharness.tasks.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskKind;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.testing.SharedFiles;

/**
 * The gold answers, fed back as predictions, score 100% under each task's strict protocols: the
 * readers, the gold extraction and the protocols agree with each other on every real record.
 */
class GoldScoringTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Protocols that must accept the reference output itself. Not here: pissa, lorasb-answer-is and
   * pissa-math need "The answer is: ", which GSM8K/MATH rationales lack; loraga reads only digits
   * after "####", so it misses gold answers written "1,000" or "-5" (98.8% on GSM8K test).
   */
  private static final Set<String> STRICT = Set.of("strict", "flexible", "llm-adapters", "boxed", "boxed-numeric",
      "llm-adapters-options", "option-label-strict", "glue-label", "glue-score");

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "gsm8k", "math", "math500", "boolq", "piqa", "siqa", "winogrande", "arc-e", "arc-c", "obqa",
    "cola", "sst2", "mrpc", "stsb", "qnli", "rte", "synthetic-sentiment", "synthetic-contrast", "synthetic-arith"
  })
  void goldAnswersScorePerfectly(String taskName) throws IOException {
    TaskSpec task = TaskRegistry.builtin().get(taskName);
    Path dataDir;
    if (task.generator() != null) {
      dataDir = tmp.resolve("data");
    } else {
      SharedFiles.data(task.file(Split.EVAL));
      dataDir = SharedFiles.root().resolve("data");
    }
    List<Example> gold = TaskData.examples(task, dataDir, Split.EVAL);
    Path preds = tmp.resolve("preds.jsonl");
    List<String> lines = new ArrayList<>();
    for (Example e : gold) {
      ObjectNode o = JSON.createObjectNode().put("index", e.index());
      if (task.kind() == TaskKind.GENERATION) {
        o.put("output", e.target());
      } else if (task.kind() == TaskKind.REGRESSION) {
        o.put("label", e.gold().score());
      } else if (e.index() % 2 == 0) {
        o.put("label", e.gold().label());
      } else {
        o.put("label", task.labelNames().get(e.gold().label())); // names are accepted too
      }
      lines.add(JSON.writeValueAsString(o));
    }
    java.util.Collections.reverse(lines); // order in the file does not matter, the index does
    Files.write(preds, lines);
    Path verdicts = tmp.resolve("verdicts.jsonl");
    List<ScoreResult> results = new ScoringService().score(taskName, dataDir, preds, verdicts);
    assertThat(results).isNotEmpty();
    int checked = 0;
    for (ScoreResult r : results) {
      assertThat(r.count()).isEqualTo(gold.size());
      if (STRICT.contains(r.protocol())) {
        assertThat(r.value()).as(r.key()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        checked++;
      }
    }
    assertThat(checked).isPositive();
    assertThat(Files.readAllLines(verdicts)).hasSize(gold.size());
  }
}
