package org.peftharness.tasks.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftharness.core.InvalidInputException;

/** Bad predictions files, on the generated tasks (no shared data needed). */
class ScoringServiceErrorsTest {
  @TempDir Path tmp;

  private Path predictions(String task, int n, String replaceLine, int at) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(task.equals("synthetic-arith") ? "{\"index\": " + i + ", \"output\": \"#### 0\"}" : "{\"index\": " + i + ", \"label\": 0}");
    }
    if (at >= 0) {
      lines.set(at, replaceLine);
    }
    Path p = tmp.resolve("preds.jsonl");
    Files.write(p, lines);
    return p;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      synthetic-arith | {"index": 3, "output": "x"} | 4 | 5 | index
      synthetic-arith | {"index": 4, "output": } | 4 | 5 | output
      synthetic-arith | {"index": 4} | 4 | 5 | output
      synthetic-arith | {"index": "4", "output": "x"} | 4 | 5 | index
      synthetic-arith | {"index": 999, "output": "x"} | 4 | 5 | index
      synthetic-sentiment | {"index": 4, "label": 2} | 4 | 5 | label
      synthetic-sentiment | {"index": 4, "label": "great"} | 4 | 5 | label
      synthetic-sentiment | {"index": 4, "label": 0.5} | 4 | 5 | label
      """)
  void badLineNamesFileLineField(String task, String badLine, int at, int line, String field) throws IOException {
    int n = task.equals("synthetic-arith") ? 200 : 400;
    Path p = predictions(task, n, badLine, at);
    assertThatThrownBy(() -> new ScoringService().score(task, tmp.resolve("data"), p))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.source()).isEqualTo(p.toString());
          assertThat(e.line()).isEqualTo(line);
          assertThat(e.field()).isEqualTo(field);
        });
  }

  @Test
  void missingIndexIsNamed() throws IOException {
    Path p = predictions("synthetic-sentiment", 399, null, -1);
    assertThatThrownBy(() -> new ScoringService().score("synthetic-sentiment", tmp.resolve("data"), p))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("index");
          assertThat(e.problem()).contains("no prediction for index 399");
        });
  }

  @Test
  void unknownTaskSuggestsNames() {
    assertThatThrownBy(() -> new ScoringService().score("synthetic-arit", tmp, tmp.resolve("p.jsonl")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("synthetic-arith");
  }

  @Test
  void allNegativeOnBalancedSentimentIsHalfRightWithZeroMcc() throws IOException {
    Path p = predictions("synthetic-sentiment", 400, null, -1);
    List<ScoreResult> r = new ScoringService().score("synthetic-sentiment", tmp.resolve("data"), p);
    assertThat(r).extracting(ScoreResult::key).containsExactly("glue-label@v1/accuracy");
    assertThat(r.get(0).value()).isEqualTo(0.5);
  }
}
