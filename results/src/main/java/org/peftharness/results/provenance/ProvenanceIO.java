package org.peftharness.results.provenance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.results.AtomicFiles;
import org.peftharness.results.Runner;
import org.peftharness.results.provenance.Observed.Inputs;
import org.peftharness.results.provenance.Observed.Outcome;
import org.peftharness.results.provenance.Observed.Software;
import org.peftharness.results.provenance.Observed.Timing;

/**
 * The one reader and writer of {@code provenance.json}. The key names are those of the files
 * written before the layout had a version, so old result folders still read (as schema 0).
 */
public final class ProvenanceIO {
  public static final String FILE = "provenance.json";

  static final String SCHEMA = "schema";
  static final String CELL_ID = "cell_id";
  static final String CELL_INDEX = "cell_index";
  static final String GRID = "grid";
  static final String CONFIGURED = "configured";
  static final String OBSERVED = "observed";
  static final String GRADIENT_PRE_PASS = "gradient_pre_pass";
  static final String HARNESS_VERSION = "harness_version";
  static final String GIT_COMMIT = "git_commit";
  static final String GIT_DIRTY = "git_dirty";
  static final String TF_JAVA_VERSION = "tf_java_version";
  static final String TENSORFLOW_NATIVE = "tensorflow_native";
  static final String DEVICE = "device";
  static final String TENSORFLOW_DEVICE = "tensorflow_device";
  static final String TENSORFLOW_BUILD = "tensorflow_build";
  static final String SYSTEM = "system";
  static final String RUNNER = "runner";
  static final String HOST = "host";
  static final String PID = "pid";
  static final String SCHEDULER = "scheduler";
  static final String DATASETS = "datasets";
  static final String TASK_VERSION = "task_version";
  static final String DATA_DIR = "data_dir";
  static final String MODEL_PATH = "model_path";
  static final String PROMPTS_TARGETS_SHA256 = "prompts_targets_sha256";
  static final String FRESH_HEAD_WEIGHTS = "fresh_head_weights";
  static final String SEEDS = "seeds";
  static final String STARTED_AT = "started_at";
  static final String FINISHED_AT = "finished_at";
  static final String WALL_S = "wall_s";
  static final String TRAIN_SECONDS = "train_seconds";
  static final String TRAIN_STEPS = "train_steps";
  static final String FINAL_LOSS = "final_loss";
  static final String PEAK_RSS_BYTES = "peak_rss_bytes";
  static final String TRAINABLE_PARAMS = "trainable_params";
  static final String TOTAL_PARAMS = "total_params";
  static final String TOKENS_PER_S = "tokens_per_s";

  /** Observed facts that differ from run to run of the same cell on the same machine: {@code reproduce} leaves them out. */
  public static final Set<String> VOLATILE =
      Set.of(STARTED_AT, FINISHED_AT, WALL_S, TRAIN_SECONDS, TOKENS_PER_S, PEAK_RSS_BYTES, PID);

  /**
   * Facts a report summarises over cells, matched on the last key of their path: this layout's,
   * and the names other tools use for the same facts, so folders from elsewhere summarise too.
   */
  public static final Set<String> SUMMARY = Set.of(GIT_COMMIT, "commit", GIT_DIRTY, "dirty", HARNESS_VERSION, "java",
      "java_version", "tensorflow", "tensorflow_version", "tf_java", TF_JAVA_VERSION, TENSORFLOW_NATIVE, "os", "arch", "cpu",
      "cores", "gpu", DEVICE, TENSORFLOW_DEVICE, TENSORFLOW_BUILD, "cuda", "driver", "TF_ENABLE_ONEDNN_OPTS", "CUDA_VISIBLE_DEVICES", "deterministic");

  private ProvenanceIO() {}

  public static void write(Path file, CellProvenance p) throws IOException {
    AtomicFiles.write(file, JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(p)) + "\n");
  }

  /** The file's JSON, keys in the order the layout has always had, {@code schema} first. */
  public static ObjectNode toJson(CellProvenance p) {
    ObjectNode root = JsonDocument.MAPPER.createObjectNode();
    root.put(SCHEMA, p.schema());
    root.put(CELL_ID, p.cellId());
    root.put(CELL_INDEX, p.cellIndex());
    root.put(GRID, p.grid());
    root.set(CONFIGURED, JsonDocument.MAPPER.valueToTree(p.configured()));
    root.set(OBSERVED, observed(p.observed()));
    return root;
  }

  private static ObjectNode observed(Observed o) {
    ObjectNode obs = JsonDocument.MAPPER.createObjectNode();
    Software sw = o.software();
    obs.put(HARNESS_VERSION, sw.harnessVersion());
    obs.put(GIT_COMMIT, sw.gitCommit());
    obs.put(GIT_DIRTY, sw.gitDirty());
    obs.put(TF_JAVA_VERSION, sw.tfJavaVersion());
    obs.put(TENSORFLOW_NATIVE, sw.tensorflowNative());
    obs.put(DEVICE, o.device());
    // only when recorded, so a file read from an older layout is written back with its own keys
    if (o.tensorflowDevice() != null) {
      obs.put(TENSORFLOW_DEVICE, o.tensorflowDevice());
    }
    if (o.tensorflowBuild() != null) {
      obs.put(TENSORFLOW_BUILD, o.tensorflowBuild());
    }
    ObjectNode sys = obs.putObject(SYSTEM);
    o.system().forEach(sys::put);
    if (o.runner() != null) {
      ObjectNode ran = obs.putObject(RUNNER);
      ran.put(HOST, o.runner().host());
      ran.put(PID, o.runner().pid());
      ran.put(SCHEDULER, o.runner().scheduler());
    }
    Inputs in = o.inputs();
    ObjectNode data = obs.putObject(DATASETS);
    in.datasets().forEach((split, files) -> {
      ObjectNode d = data.putObject(split);
      files.forEach(d::put);
    });
    obs.put(TASK_VERSION, in.taskVersion());
    obs.put(DATA_DIR, in.dataDir());
    obs.put(MODEL_PATH, in.modelPath());
    obs.put(PROMPTS_TARGETS_SHA256, in.promptsTargetsSha256());
    if (o.freshHeadWeights() != null) {
      ArrayNode fresh = obs.putArray(FRESH_HEAD_WEIGHTS);
      o.freshHeadWeights().forEach(fresh::add);
    }
    ObjectNode sd = obs.putObject(SEEDS);
    o.seeds().forEach(sd::put);
    Timing t = o.timing();
    obs.put(STARTED_AT, t.startedAt() == null ? null : t.startedAt().toString());
    obs.put(FINISHED_AT, t.finishedAt() == null ? null : t.finishedAt().toString());
    obs.put(WALL_S, t.wallSeconds());
    obs.put(TRAIN_SECONDS, t.trainSeconds());
    Outcome r = o.outcome();
    obs.put(TRAIN_STEPS, r.trainSteps());
    obs.put(FINAL_LOSS, r.finalLoss());
    obs.put(PEAK_RSS_BYTES, r.peakRssBytes());
    obs.put(TRAINABLE_PARAMS, r.trainableParams());
    obs.put(TOTAL_PARAMS, r.totalParams());
    obs.put(TOKENS_PER_S, r.tokensPerSecond());
    if (!o.gradientPrePass().isEmpty()) {
      ObjectNode pre = obs.putObject(GRADIENT_PRE_PASS);
      new TreeMap<>(o.gradientPrePass()).forEach(pre::put);
    }
    return obs;
  }

  /**
   * Reads a cell's provenance. Only {@code configured} is required (a cell is rebuilt from it);
   * facts missing from older files read as documented on {@link Observed}.
   */
  public static CellProvenance read(Path file) {
    JsonNode root;
    try {
      root = JsonDocument.MAPPER.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, null, "not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, null, "cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException(file, null, "expected a JSON object");
    }
    JsonNode configured = root.get(CONFIGURED);
    if (configured == null || !configured.isObject()) {
      throw new InvalidInputException(file, 0, CONFIGURED, "missing: the cell's resolved configuration is needed");
    }
    Map<String, Object> config = JsonDocument.MAPPER.convertValue(configured, new TypeReference<TreeMap<String, Object>>() {});
    return new CellProvenance(root.path(SCHEMA).asInt(0), text(root, CELL_ID), root.path(CELL_INDEX).asInt(0),
        text(root, GRID), config, observed(root.path(OBSERVED), file));
  }

  private static Observed observed(JsonNode o, Path file) {
    Software sw = new Software(text(o, HARNESS_VERSION), text(o, GIT_COMMIT), o.path(GIT_DIRTY).asBoolean(false),
        text(o, TF_JAVA_VERSION), text(o, TENSORFLOW_NATIVE));
    JsonNode ran = o.get(RUNNER);
    Runner runner = ran == null || !ran.isObject() ? null
        : new Runner(text(ran, HOST), ran.path(PID).asLong(-1), text(ran, SCHEDULER));
    Map<String, Map<String, String>> datasets = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.path(DATASETS).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> split = it.next();
      datasets.put(split.getKey(), texts(split.getValue()));
    }
    Inputs in = new Inputs(datasets, o.path(TASK_VERSION).asInt(-1), text(o, DATA_DIR), text(o, MODEL_PATH),
        text(o, PROMPTS_TARGETS_SHA256));
    List<String> fresh = null;
    if (o.path(FRESH_HEAD_WEIGHTS).isArray()) {
      fresh = new ArrayList<>();
      for (JsonNode n : o.get(FRESH_HEAD_WEIGHTS)) {
        fresh.add(n.asText());
      }
    }
    Map<String, Long> seeds = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.path(SEEDS).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      seeds.put(s.getKey(), s.getValue().asLong());
    }
    Timing t = new Timing(instant(o, STARTED_AT, file), instant(o, FINISHED_AT, file), number(o, WALL_S),
        number(o, TRAIN_SECONDS));
    Outcome r = new Outcome(o.path(TRAIN_STEPS).asInt(-1), number(o, FINAL_LOSS), o.path(PEAK_RSS_BYTES).asLong(-1),
        o.path(TRAINABLE_PARAMS).asLong(-1), o.path(TOTAL_PARAMS).asLong(-1), number(o, TOKENS_PER_S));
    return new Observed(sw, text(o, DEVICE), text(o, TENSORFLOW_DEVICE), text(o, TENSORFLOW_BUILD), texts(o.path(SYSTEM)),
        runner, in, fresh, seeds, t, r, texts(o.path(GRADIENT_PRE_PASS)));
  }

  /**
   * The summary facts of a provenance file of any layout: every leaf whose last key is in {@link
   * #SUMMARY}, by its dotted path ({@code observed.git_commit}).
   */
  public static Map<String, String> summaryFacts(Path file) throws IOException {
    Map<String, String> leaves = leaves(JsonDocument.MAPPER.readTree(Files.readString(file)));
    leaves.keySet().removeIf(k -> !SUMMARY.contains(k.substring(k.lastIndexOf('.') + 1)));
    return leaves;
  }

  /** Every scalar leaf of a JSON tree as text, by dotted path, sorted. */
  static Map<String, String> leaves(JsonNode n) {
    Map<String, String> out = new TreeMap<>();
    leaves("", n, out);
    return out;
  }

  private static void leaves(String prefix, JsonNode n, Map<String, String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (!n.isArray() && !n.isNull()) {
      // lists are per-cell detail, not a fact to summarise or compare; null is "not recorded"
      out.put(prefix, n.asText());
    }
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Map<String, String> texts(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static double number(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? Double.NaN : v.asDouble(Double.NaN);
  }

  private static Instant instant(JsonNode n, String key, Path file) {
    String v = text(n, key);
    try {
      return v == null ? null : Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(file, 0, OBSERVED + "." + key, "not an ISO-8601 instant: '" + v + "'");
    }
  }
}
