package org.peftharness.reports.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.results.ResultRow;
import org.peftharness.results.stats.ResampledMetric;

/**
 * The per-example verdicts of the cells' evaluations, {@code cells/<id>/eval/<task>/verdicts.jsonl}
 * as tasks/.../score/ScoringService writes them: one line per example with its {@code index} and
 * {@code gold}; for a classification task the predicted {@code label} and {@code correct}; for a
 * regression task the predicted score as {@code label}; for a generation task one object per
 * protocol with its {@code correct}. Each file is read once however many metrics use it. Folders
 * from before evaluations had their own folders hold the file at {@code cells/<id>/verdicts.jsonl}.
 *
 * <p>The file holds the cell's last evaluation. A row whose number came from elsewhere (the best
 * of several evaluations under {@code select: best}, a protocol version added by a rescore) is
 * not what the file reproduces; such rows, and folders written before the file existed, get a
 * reason instead of values, never values of another evaluation.
 */
public final class PerExampleData {
  public static final String FILE = "verdicts.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A row's values, or why it has none (then values is null). */
  public record Found(ExampleValues values, String missing) {}

  /** Parsed lines of one file by example index, or why the file cannot be used. */
  private record Parsed(TreeMap<Integer, JsonNode> lines, String problem) {}

  private final Map<Path, Parsed> files = new HashMap<>();

  /** @param cellDir {@code cells/<id>/} of the row's cell */
  public Found of(Path cellDir, ResultRow row) {
    Path file = cellDir.resolve("eval").resolve(row.task()).resolve(FILE);
    if (!Files.isRegularFile(file) && Files.isRegularFile(cellDir.resolve(FILE))) {
      // folders written before a cell could evaluate several tasks kept its one evaluation at the top
      file = cellDir.resolve(FILE);
    }
    Parsed p = files.computeIfAbsent(file, PerExampleData::parse);
    if (p.problem() != null) {
      return new Found(null, p.problem());
    }
    ExampleValues v = extract(p.lines(), row);
    if (v == null) {
      return new Found(null, "its verdicts have no per-example form of " + row.metric()
          + (row.protocol() == null ? "" : " by " + row.protocol()));
    }
    if (row.n() != null && row.n() != v.size()) {
      return new Found(null, "its verdicts cover " + v.size() + " examples, the row " + row.n());
    }
    double all = v.value(ResampledMetric.all(v.size()));
    if (row.value() == null || !(Math.abs(all - row.value()) <= 1e-9 * Math.max(1, Math.abs(row.value())))) {
      return new Found(null, "its verdicts (the last evaluation) do not give the reported value, which came from "
          + "another evaluation (select: best) or a rescore");
    }
    return new Found(v, null);
  }

  private static Parsed parse(Path file) {
    if (!Files.isRegularFile(file)) {
      return new Parsed(null, "no " + FILE);
    }
    TreeMap<Integer, JsonNode> lines = new TreeMap<>();
    int lineNo = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      while ((text = r.readLine()) != null) {
        lineNo++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(text);
        JsonNode idx = n == null ? null : n.get("index");
        if (idx == null || !idx.isIntegralNumber() || lines.put(idx.asInt(), n) != null) {
          return new Parsed(null, FILE + " line " + lineNo + ": missing or repeated example index");
        }
      }
    } catch (IOException e) {
      return new Parsed(null, FILE + " unreadable at line " + (lineNo + 1) + " (" + e.getClass().getSimpleName() + ")");
    }
    if (lines.isEmpty()) {
      return new Parsed(null, FILE + " is empty");
    }
    return new Parsed(lines, null);
  }

  /** The row's metric per example from the parsed lines, or null where a line lacks what it needs. */
  private static ExampleValues extract(TreeMap<Integer, JsonNode> lines, ResultRow row) {
    int n = lines.size();
    int[] index = new int[n];
    String metric = row.metric();
    boolean accuracy = metric.equals("accuracy");
    boolean labels = metric.equals("f1") || metric.equals("mcc");
    boolean scores = metric.equals("pearson") || metric.equals("spearman");
    if (!accuracy && !labels && !scores) {
      return null;
    }
    boolean[] correct = accuracy ? new boolean[n] : null;
    double[] gold = accuracy ? null : new double[n];
    double[] predicted = accuracy ? null : new double[n];
    int i = 0;
    for (Map.Entry<Integer, JsonNode> e : lines.entrySet()) {
      JsonNode line = e.getValue();
      index[i] = e.getKey();
      if (accuracy) {
        JsonNode byProtocol = row.protocol() == null ? null : line.get(row.protocol());
        JsonNode c = byProtocol != null && byProtocol.isObject() ? byProtocol.get("correct") : line.get("correct");
        if (c == null || !c.isBoolean()) {
          return null;
        }
        correct[i] = c.booleanValue();
      } else {
        JsonNode g = line.get("gold");
        JsonNode p = line.get("label");
        boolean ok = labels ? g != null && g.isIntegralNumber() && p != null && p.isIntegralNumber()
            : g != null && g.isNumber() && p != null && p.isNumber();
        if (!ok) {
          return null;
        }
        gold[i] = g.asDouble();
        predicted[i] = p.asDouble();
      }
      i++;
    }
    return new ExampleValues(metric, index, correct, gold, predicted);
  }
}
