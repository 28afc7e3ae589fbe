package org.peftharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.testing.SharedFiles;

class ScoreCliTest {
  @TempDir Path dir;

  @Test
  void goldGsm8kAnswersScore100PercentUnderStrict() throws IOException {
    Path test = SharedFiles.data("gsm8k/test.jsonl");
    List<String> preds = new ArrayList<>();
    List<String> lines = Files.readAllLines(test);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode rec = JsonDocument.MAPPER.readTree(lines.get(i));
      preds.add(JsonDocument.MAPPER.createObjectNode().put("index", i).put("output", rec.get("answer").asText()).toString());
    }
    Path p = dir.resolve("preds.jsonl");
    Files.write(p, preds);
    Path verdicts = dir.resolve("verdicts.jsonl");
    CliRunner r = CliRunner.run("score", "--task", "gsm8k", "--data-dir", SharedFiles.root().resolve("data").toString(),
        "--predictions", p.toString(), "--per-example", verdicts.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("strict@v\\d+\\s+accuracy\\s+1\\.000000\\s+1319");
    assertThat(Files.readAllLines(verdicts)).hasSizeGreaterThanOrEqualTo(1319);
  }

  @Test
  void malformedPredictionsAreExit2WithFileAndLine() throws IOException {
    SharedFiles.data("gsm8k/test.jsonl");
    Path p = dir.resolve("bad.jsonl");
    Files.writeString(p, "{\"index\": 0, \"output\": \"#### 18\"}\n{\"index\": \"one\"}\n");
    CliRunner r = CliRunner.run("score", "--task", "gsm8k", "--data-dir", SharedFiles.root().resolve("data").toString(),
        "--predictions", p.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains(p + ":2").contains("index");
  }

  @Test
  void anEvaluationFileWithoutRecordsIsNamedNotThePredictions() throws IOException {
    for (String header : List.of("", "sentence\tlabel\n", "sentence\tlabel\r\n")) {
      Path data = Files.createDirectories(dir.resolve("data/glue/SST-2"));
      Files.writeString(data.resolve("dev.tsv"), header);
      Path p = dir.resolve("preds.jsonl");
      Files.writeString(p, "{\"index\": 0, \"label\": 1}\n");
      CliRunner r = CliRunner.run("score", "--task", "sst2", "--data-dir", dir.resolve("data").toString(), "--predictions", p.toString());
      assertThat(r.exitCode()).as(header).isEqualTo(2);
      assertThat(r.err()).as(header).contains(data.resolve("dev.tsv") + ": has no records").doesNotContain(p.toString())
          .doesNotContain("Exception");
    }
  }

  @Test
  void unknownTaskSuggestsTheClosestNames() {
    CliRunner r = CliRunner.run("score", "--task", "gsm8", "--data-dir", dir.toString(), "--predictions", dir.resolve("x").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("gsm8k");
  }
}
