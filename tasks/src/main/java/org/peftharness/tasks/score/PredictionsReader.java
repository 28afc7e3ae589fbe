package org.peftharness.tasks.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.read.JsonRecords;
import org.peftharness.tasks.read.LineReader;
import org.peftharness.tasks.spec.TaskKind;
import org.peftharness.tasks.spec.TaskSpec;

/**
 * Reads a predictions JSONL file: one {@code {"index": i, "output": "..."}} (generation) or
 * {@code {"index": i, "label": 1 | "positive"}} (classification) or {@code {"index": i, "label":
 * 3.8}} (regression) per line; every index of the evaluation file exactly once.
 */
final class PredictionsReader {
  private PredictionsReader() {}

  static Prediction[] read(Path file, TaskSpec task, int expected) {
    Prediction[] byIndex = new Prediction[expected];
    try (LineReader lines = new LineReader(file)) {
      String text;
      while ((text = lines.next()) != null) {
        if (text.isBlank()) {
          continue;
        }
        int line = lines.lineNumber();
        JsonNode n;
        try {
          n = JsonRecords.mapper().readTree(text);
        } catch (JsonProcessingException e) {
          throw new InvalidInputException(file, line, JsonRecords.fieldAt(e), "not valid JSON: " + e.getOriginalMessage());
        }
        if (!n.isObject()) {
          throw new InvalidInputException(file, line, null, "expected a JSON object");
        }
        JsonNode idx = n.get("index");
        if (idx == null || !idx.isIntegralNumber()) {
          throw new InvalidInputException(file, line, "index", idx == null ? "missing field" : "expected an integer");
        }
        long i = idx.asLong();
        if (i < 0 || i >= expected) {
          throw new InvalidInputException(
              file, line, "index", i + " is outside the evaluation file's " + expected + " records (0.." + (expected - 1) + ")");
        }
        if (byIndex[(int) i] != null) {
          throw new InvalidInputException(file, line, "index", "duplicate index " + i + " (first on line " + byIndex[(int) i].line() + ")");
        }
        byIndex[(int) i] = parse(n, (int) i, line, file, task);
      }
    }
    int missing = 0;
    int first = -1;
    for (int i = 0; i < expected; i++) {
      if (byIndex[i] == null) {
        if (first < 0) {
          first = i;
        }
        missing++;
      }
    }
    if (missing > 0) {
      throw new InvalidInputException(
          file, 0, "index", "no prediction for index " + first + (missing > 1 ? " and " + (missing - 1) + " more" : "") + " of " + expected);
    }
    return byIndex;
  }

  private static Prediction parse(JsonNode n, int index, int line, Path file, TaskSpec task) {
    if (task.kind() == TaskKind.GENERATION) {
      JsonNode o = n.get("output");
      if (o == null || !o.isTextual()) {
        throw new InvalidInputException(file, line, "output", o == null ? "missing field" : "expected a string");
      }
      return new Prediction(index, line, o.textValue(), -1, Double.NaN);
    }
    JsonNode l = n.get("label");
    if (l == null) {
      throw new InvalidInputException(file, line, "label", "missing field");
    }
    if (task.kind() == TaskKind.REGRESSION) {
      if (!l.isNumber() || !Double.isFinite(l.asDouble())) {
        throw new InvalidInputException(file, line, "label", "expected a finite number");
      }
      return new Prediction(index, line, null, -1, l.asDouble());
    }
    List<String> names = task.labelNames();
    int label;
    if (l.isIntegralNumber()) {
      label = l.asInt();
      if (label < 0 || label >= names.size() || l.asLong() != label) {
        throw new InvalidInputException(file, line, "label", l + " is not a label index 0.." + (names.size() - 1));
      }
    } else if (l.isTextual()) {
      label = names.indexOf(l.textValue());
      if (label < 0) {
        throw new InvalidInputException(file, line, "label", "'" + l.textValue() + "' is not one of " + names);
      }
    } else {
      throw new InvalidInputException(file, line, "label", "expected a label index or one of " + names);
    }
    return new Prediction(index, line, null, label, Double.NaN);
  }
}
