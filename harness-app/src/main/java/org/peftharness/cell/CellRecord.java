package org.peftharness.cell;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.grid.CanonicalJson;
import org.peftharness.grid.Cell;
import org.peftharness.results.Hashes;

/** A finished cell's folder read back: its provenance, and the cell rebuilt from the configuration recorded there. */
public record CellRecord(Path dir, JsonNode provenance, Cell cell) {
  public static CellRecord read(Path cellDir) {
    Path file = cellDir.resolve("provenance.json");
    JsonNode p;
    try {
      p = JsonDocument.MAPPER.readTree(Files.readString(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file, null, "not found: is " + cellDir + " a cell folder (results/cells/<id>)?");
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
    JsonNode configured = p.get("configured");
    if (configured == null || !configured.isObject()) {
      throw new InvalidInputException(file, 0, "configured", "missing: the cell's resolved configuration is needed");
    }
    Map<String, Object> config = JsonDocument.MAPPER.convertValue(configured, new TypeReference<TreeMap<String, Object>>() {});
    String json = CanonicalJson.of(config);
    @SuppressWarnings("unchecked")
    Map<String, Object> method = (Map<String, Object>) config.get("method");
    @SuppressWarnings("unchecked")
    Map<String, Object> task = (Map<String, Object>) config.get("task");
    Object rank = method.get("rank");
    String methodName = String.valueOf(method.get("method"));
    Cell cell = new Cell(p.path("cell_index").asInt(), Hashes.sha256(json), String.valueOf(config.get("model")), methodName,
        rank == null ? null : ((Number) rank).intValue(), String.valueOf(task.get("name")),
        ((Number) config.get("seed")).longValue(), config, json);
    return new CellRecord(cellDir, p, cell);
  }

  public String recordedId() {
    return provenance.path("cell_id").asText();
  }

  public String observed(String key) {
    JsonNode n = provenance.path("observed").get(key);
    return n == null || n.isNull() ? null : n.asText();
  }
}
