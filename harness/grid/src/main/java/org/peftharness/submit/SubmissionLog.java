package org.peftharness.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.grid.Cell;

/**
 * {@code slurm/submissions.jsonl} in the results folder: each submitted job and which cells each
 * of its array tasks runs, so that a resubmission leaves out cells still waiting in the queue.
 */
public final class SubmissionLog {
  public static final String FILE = "submissions.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SubmissionLog() {}

  public static void append(Path dir, String jobId, Path script, Submission s, boolean indexIsCell) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("submitted_at", Instant.now().toString());
    m.put("job_id", jobId);
    m.put("script", script.getFileName().toString());
    m.put("fingerprint", s.fingerprint());
    Map<String, List<String>> tasks = new LinkedHashMap<>();
    for (int t = 0; t < s.tasks(); t++) {
      List<Cell> cells = s.cellsOfTask(t);
      String key = indexIsCell ? Integer.toString(cells.get(0).index()) : Integer.toString(t);
      tasks.put(key, cells.stream().map(Cell::id).toList());
    }
    m.put("tasks", tasks);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(m) + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Ids of the cells whose array task ({@code job_task}) is among {@code active}. */
  public static Set<String> cellsOf(Path dir, Set<String> active) throws IOException {
    Set<String> out = new HashSet<>();
    Path f = dir.resolve(FILE);
    if (active.isEmpty() || !Files.isRegularFile(f)) {
      return out;
    }
    for (String line : Files.readAllLines(f)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        continue; // a line cut short by a crash: that job's cells are simply not treated as queued
      }
      String job = n.path("job_id").asText();
      n.path("tasks").fields().forEachRemaining(t -> {
        if (active.contains(job + "_" + t.getKey())) {
          t.getValue().forEach(id -> out.add(id.asText()));
        }
      });
    }
    return out;
  }

  /** The job ids recorded, oldest first. */
  public static List<String> jobs(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    Path f = dir.resolve(FILE);
    if (Files.isRegularFile(f)) {
      for (String line : Files.readAllLines(f)) {
        try {
          out.add(JSON.readTree(line).path("job_id").asText());
        } catch (IOException e) {
          // skip a damaged line
        }
      }
    }
    return out;
  }
}
