package org.peftharness.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.peftharness.core.InvalidInputException;

/**
 * {@code plan.json} in a results folder: the grid's cells in order, so that {@code harness status}
 * can count pending cells from the folder alone, however the cells were run. The fingerprint
 * hashes the ordered cell ids: scheduled jobs carry it and refuse to run against an edited grid.
 */
public record PlanManifest(String grid, String gridFile, String fingerprint, List<Entry> cells) {
  public static final String FILE = "plan.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A cell: its training's id and label, and its evaluations (empty in plans written before cells had several). */
  public record Entry(int index, String id, String label, List<EvaluationEntry> evaluations) {
    public Entry {
      evaluations = List.copyOf(evaluations);
    }

    /** A cell whose only evaluation is not recorded separately (plans written before cells had several). */
    public Entry(int index, String id, String label) {
      this(index, id, label, List.of());
    }
  }

  /** One evaluation of a cell: its id and the task it evaluates. */
  public record EvaluationEntry(String id, String task) {}

  public static Optional<PlanManifest> read(Path resultsDir) {
    Path f = resultsDir.resolve(FILE);
    JsonNode n;
    try {
      n = JSON.readTree(Files.readString(f));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new InvalidInputException(f, null, "cannot read: " + e.getMessage());
    }
    List<Entry> cells = new ArrayList<>();
    for (JsonNode c : n.path("cells")) {
      List<EvaluationEntry> evals = new ArrayList<>();
      for (JsonNode e : c.path("evaluations")) {
        evals.add(new EvaluationEntry(e.path("id").asText(), e.path("task").asText()));
      }
      cells.add(new Entry(c.path("index").asInt(), c.path("id").asText(), c.path("label").asText(), evals));
    }
    if (!n.hasNonNull("fingerprint") || cells.isEmpty()) {
      throw new InvalidInputException(f, null, "not a plan file: no fingerprint or no cells");
    }
    return Optional.of(new PlanManifest(n.path("grid").asText(), n.path("grid_file").asText(), n.path("fingerprint").asText(), cells));
  }

  /** Writes the plan unless the folder already holds this very plan (many jobs start at once; spare the file system). */
  public void write(Path resultsDir) throws IOException {
    try {
      if (read(resultsDir).map(p -> p.equals(this)).orElse(false)) {
        return;
      }
    } catch (InvalidInputException e) {
      // a damaged plan file is simply replaced
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("grid", grid);
    m.put("grid_file", gridFile);
    m.put("fingerprint", fingerprint);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Entry e : cells) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("index", e.index());
      c.put("id", e.id());
      c.put("label", e.label());
      List<Map<String, Object>> evals = new ArrayList<>();
      for (EvaluationEntry ev : e.evaluations()) {
        Map<String, Object> m2 = new LinkedHashMap<>();
        m2.put("id", ev.id());
        m2.put("task", ev.task());
        evals.add(m2);
      }
      c.put("evaluations", evals);
      list.add(c);
    }
    m.put("cells", list);
    AtomicFiles.write(resultsDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
  }
}
