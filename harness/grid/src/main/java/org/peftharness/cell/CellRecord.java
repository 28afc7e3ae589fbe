package org.peftharness.cell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.CanonicalJson;
import org.peftharness.grid.Cell;
import org.peftharness.results.Hashes;
import org.peftharness.results.provenance.CellProvenance;
import org.peftharness.results.provenance.ProvenanceIO;

/** A finished cell's folder read back: its provenance, and the cell rebuilt from the configuration recorded there. */
public record CellRecord(Path dir, CellProvenance provenance, Cell cell) {
  public static CellRecord read(Path cellDir) {
    Path file = cellDir.resolve(ProvenanceIO.FILE);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, null, "not found: is " + cellDir + " a cell folder (results/cells/<id>)?");
    }
    CellProvenance p = ProvenanceIO.read(file);
    Map<String, Object> config = p.configured();
    String json = CanonicalJson.of(config);
    @SuppressWarnings("unchecked")
    Map<String, Object> method = (Map<String, Object>) config.get("method");
    @SuppressWarnings("unchecked")
    Map<String, Object> task = (Map<String, Object>) config.get("task");
    Object rank = method.get("rank");
    String methodName = String.valueOf(method.get("method"));
    Cell cell = new Cell(p.cellIndex(), Hashes.sha256(json), String.valueOf(config.get("model")), methodName,
        rank == null ? null : ((Number) rank).intValue(), String.valueOf(task.get("name")),
        ((Number) config.get("seed")).longValue(), config, json);
    return new CellRecord(cellDir, p, cell);
  }

  /** The data folder the cell read, as recorded. */
  public Path dataDir() {
    String d = provenance.observed().inputs().dataDir();
    if (d == null) {
      throw new InvalidInputException(dir.resolve(ProvenanceIO.FILE), 0, "observed.data_dir", "not recorded; give --data-dir");
    }
    return Path.of(d);
  }

  public String recordedId() {
    return provenance.cellId() == null ? "" : provenance.cellId();
  }
}
