package org.peftharness.reports;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cell's {@code metrics.jsonl}: one JSON object per line, as the trainer logs them.
 *
 * <pre>
 * {"step": 10, "loss": 0.6931, "lr": 0.0001}            training step (loss and lr optional)
 * {"step": 50, "eval": {"glue-label@v1/accuracy": 0.81}} evaluation (keys: protocol@vN/metric)
 * </pre>
 *
 * Only {@code step} is required; other fields are ignored. {@code NaN} and {@code Infinity} are
 * accepted as numbers (a diverged run logs them). Lines that do not parse (the last line of a
 * killed run is often cut short) are skipped and counted, never fatal: a report must still come out.
 */
public final class MetricsLog {
  public static final String FILE = "metrics.jsonl";

  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  public record Entry(long step, Double loss, Double lr, Map<String, Double> eval) {}

  private final List<Entry> entries;
  private final int skippedLines;

  private MetricsLog(List<Entry> entries, int skippedLines) {
    this.entries = List.copyOf(entries);
    this.skippedLines = skippedLines;
  }

  public List<Entry> entries() {
    return entries;
  }

  public int skippedLines() {
    return skippedLines;
  }

  /** The log in a cell folder, or null when the cell has none. */
  public static MetricsLog readIfPresent(Path cellDir) throws IOException {
    Path f = cellDir.resolve(FILE);
    return Files.isRegularFile(f) ? parse(Files.readString(f)) : null;
  }

  public static MetricsLog parse(String text) {
    List<Entry> out = new ArrayList<>();
    int skipped = 0;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      try (JsonParser p = JSON.createParser(line)) {
        JsonNode n = JSON.readTree(p);
        if (n == null || !n.isObject() || p.nextToken() != null || !n.path("step").canConvertToLong()
            || !n.path("step").isIntegralNumber()) {
          skipped++;
          continue;
        }
        Map<String, Double> eval = new TreeMap<>();
        JsonNode e = n.get("eval");
        if (e != null && e.isObject()) {
          for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNumber()) {
              eval.put(f.getKey(), f.getValue().asDouble());
            }
          }
        }
        out.add(new Entry(n.get("step").asLong(), number(n.get("loss")), number(n.get("lr")), eval));
      } catch (IOException e) {
        skipped++;
      }
    }
    return new MetricsLog(out, skipped);
  }

  private static Double number(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : null;
  }

  /** Steps and losses of the entries that have a finite loss, in step order (last value wins per step). */
  public TreeMap<Long, Double> losses() {
    TreeMap<Long, Double> m = new TreeMap<>();
    for (Entry e : entries) {
      if (e.loss() != null && Double.isFinite(e.loss())) {
        m.put(e.step(), e.loss());
      }
    }
    return m;
  }
}
