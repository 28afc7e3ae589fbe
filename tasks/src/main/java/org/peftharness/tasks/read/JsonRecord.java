package org.peftharness.tasks.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;

/** One JSON object of a dataset file with where it starts, and typed access that names the field on error. */
public record JsonRecord(Path file, int line, int index, ObjectNode node) {

  /** A field that must be present and a JSON string. */
  public String string(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidInputException(file, line, field, "missing field (record " + index + ")");
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(
          file, line, field, "expected a string, found " + v.getNodeType().toString().toLowerCase() + " (record " + index + ")");
    }
    return v.textValue();
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public InvalidInputException error(String field, String problem) {
    return new InvalidInputException(file, line, field, problem + " (record " + index + ")");
  }
}
