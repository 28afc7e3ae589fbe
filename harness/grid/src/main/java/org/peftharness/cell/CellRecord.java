package org.peftharness.cell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.CanonicalJson;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellLayout;
import org.peftharness.grid.Evaluation;
import org.peftharness.grid.TrainingSource;
import org.peftharness.grid.TunedCells;
import org.peftharness.results.Hashes;
import org.peftharness.results.provenance.CellProvenance;
import org.peftharness.results.provenance.ProvenanceIO;

/**
 * A finished cell's folder read back: its training's provenance, and the cell rebuilt from the
 * configuration recorded there, with the evaluations recorded under {@code eval/}.
 */
public record CellRecord(Path dir, CellProvenance provenance, Cell cell) {
  public static CellRecord read(Path cellDir) {
    Path file = cellDir.resolve(ProvenanceIO.FILE);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, null, "not found: is " + cellDir + " a cell folder (results/cells/<id>)?");
    }
    CellProvenance p = ProvenanceIO.read(file);
    Map<String, Object> config = p.configured();
    if (!config.containsKey("train_on")) {
      throw new InvalidInputException(file, 0, "configured.train_on", "missing: the cell was recorded by an earlier harness, before a cell named "
          + "its training data; run its grid again to reproduce it");
    }
    // a tuned cell records the point it chose; its id hashes the configuration as planned, before the choice
    String json = CanonicalJson.of(TunedCells.asPlanned(config));
    @SuppressWarnings("unchecked")
    Map<String, Object> method = (Map<String, Object>) config.get("method");
    Object rank = method.get("rank");
    String methodName = String.valueOf(method.get("method"));
    Cell cell = new Cell(p.cellIndex(), Hashes.sha256(json), String.valueOf(config.get("model")), methodName,
        rank == null ? null : ((Number) rank).intValue(), TrainingSource.label(config),
        ((Number) config.get("seed")).longValue(), config, json, evaluations(cellDir));
    return new CellRecord(cellDir, p, cell);
  }

  /** The evaluations recorded in the cell's folder (the reported splits' and the held-out validation's), in their order in the cell. */
  private static List<Evaluation> evaluations(Path cellDir) {
    List<Evaluation> out = new ArrayList<>();
    for (String root : List.of(CellLayout.VALIDATION, CellLayout.EVAL)) {
      Path evalRoot = cellDir.resolve(root);
      if (!Files.isDirectory(evalRoot)) {
        continue;
      }
      try (Stream<Path> s = Files.list(evalRoot)) {
        for (Path d : s.sorted().toList()) {
          if (Files.isRegularFile(d.resolve(EvaluationRecord.FILE))) {
            out.add(EvaluationRecord.read(d));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    out.sort(Comparator.comparingInt(Evaluation::index));
    return out;
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
