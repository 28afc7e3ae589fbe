package org.peftharness.cell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftharness.adapter.PeftAdapterFolder;
import org.peftharness.adapter.PeftAdapterLoader;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.grid.EvalSection;
import org.peftharness.grid.TrainSection;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.results.AtomicFiles;
import org.peftharness.results.Hashes;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.Observed;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.score.ScoringService;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.tensorflow.types.TFloat32;

/**
 * {@code harness evaluate}: a PEFT LoRA adapter trained elsewhere (or exported by a cell) loaded
 * onto the base model and evaluated on a task's evaluation split under every protocol, with the
 * same task runs and scoring as a grid cell. The graph is built with the harness's own LoRA
 * factory and A and B are fed into its variables ({@link PeftAdapterLoader}) rather than merged
 * into W on the host: the forward is then the very op sequence a LoRA cell evaluates
 * ({@code x Wᵀ + s·(x Aᵀ) Bᵀ}), so an exported LoRA adapter re-evaluates bit for bit, while
 * {@code W + s·B A} would round differently. Writes generations.jsonl, verdicts.jsonl,
 * metrics.json and provenance.json (with SHA-256 of the adapter's config and weights) into the
 * output folder.
 */
public final class AdapterEvaluation {
  /**
   * @param model a model folder or {@code minilm}
   * @param limit evaluate the first N examples (0: all)
   * @param maxLength tokens per encoder example, as a cell's {@code train.max_length}; null: its default
   * @param batchSize as a cell's {@code eval.batch_size}; null: its default
   * @param maxNewTokens as a cell's {@code eval.max_new_tokens}; null: its default
   */
  public record Request(String model, Path adapter, String task, Path dataDir, int limit, Integer maxLength, Integer batchSize,
      Integer maxNewTokens, Path out) {
    public Request {
      atLeast("--limit", limit, 0);
      atLeast("--max-length", maxLength, 2);
      atLeast("--batch-size", batchSize, 1);
      atLeast("--max-new-tokens", maxNewTokens, 1);
    }

    private static void atLeast(String option, Integer value, int min) {
      if (value != null && value < min) {
        throw new InvalidInputException("argument " + option, 0, null, "must be at least " + min + ", got " + value);
      }
    }
  }

  public record Outcome(List<ScoreResult> scores, int examples, PeftAdapterFolder adapter) {}

  private AdapterEvaluation() {}

  public static Outcome run(Request r, TaskRegistry tasks, BuildInfo build) throws IOException {
    Instant start = Instant.now();
    PeftAdapterFolder adapter = PeftAdapterFolder.read(r.adapter());
    TaskSpec task = tasks.get(r.task());
    TrainSettings st = settings(r);
    List<Example> eval = TaskData.examples(task, r.dataDir(), Split.EVAL);
    if (r.limit() > 0 && r.limit() < eval.size()) {
      eval = List.copyOf(eval.subList(0, r.limit()));
    }
    Files.createDirectories(r.out());
    try (PretrainedModel pm = PretrainedModel.open(r.model());
        JsonLines generations = new JsonLines(r.out().resolve("generations.jsonl"))) {
      String prefix = pm.config().architecture().peftModulePrefix();
      AdapterFactory factory = AdapterFactory.create(adapter.config().method(prefix), List.of(), null);
      try (GraphModel<TFloat32> graph = pm.buildGraph(TFloat32.class, factory)) {
        // Fresh head weights are drawn from a fixed seed and then must be overwritten by the adapter's
        // modules_to_save (PeftAdapterLoader refuses otherwise), so the seed never reaches a result.
        TaskRun run = switch (pm.config().architecture().headKind()) {
          case SEQUENCE_CLASSIFICATION -> new EncoderTaskRun(graph, pm, task, st, new SeedStreams(0));
          case CAUSAL_LM -> new DecoderTaskRun(graph, pm, st);
        };
        List<String> head = PeftAdapterLoader.load(adapter, factory, graph, prefix,
            run.headVariables(true), run.freshHeadWeights());
        TaskRun.Predicted predicted = run.predict(task, eval, st.eval(), generations);
        List<ScoreResult> scores = new ScoringService().score(task, eval, predicted.predictions(), r.out().resolve("verdicts.jsonl"));
        writeMetrics(r.out(), scores);
        writeProvenance(r, st, adapter, task, head, predicted.promptHash(), build, start);
        return new Outcome(scores, eval.size(), adapter);
      }
    }
  }

  private static TrainSettings settings(Request r) {
    Map<String, Object> train = new LinkedHashMap<>(TrainSection.SECTION.defaults());
    Map<String, Object> ev = new LinkedHashMap<>(EvalSection.SECTION.defaults());
    if (r.maxLength() != null) {
      train.put(TrainSection.MAX_LENGTH.name(), r.maxLength());
    }
    if (r.batchSize() != null) {
      ev.put(EvalSection.BATCH_SIZE.name(), r.batchSize());
    }
    if (r.maxNewTokens() != null) {
      ev.put(EvalSection.MAX_NEW_TOKENS.name(), r.maxNewTokens());
    }
    ev.put(EvalSection.LIMIT.name(), r.limit());
    return new TrainSettings(TrainSection.of(train), EvalSection.of(ev));
  }

  private static void writeMetrics(Path out, List<ScoreResult> scores) throws IOException {
    ArrayNode rows = JsonDocument.MAPPER.createArrayNode();
    for (ScoreResult s : scores) {
      rows.addObject().put("metric", s.metric()).put("protocol", s.protocol()).put("protocol_version", s.protocolVersion())
          .put("value", s.value()).put("count", s.count()).put("higher_is_better", s.higherIsBetter());
    }
    AtomicFiles.write(out.resolve("metrics.json"), JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n");
  }

  private static void writeProvenance(Request r, TrainSettings st, PeftAdapterFolder adapter, TaskSpec task, List<String> head,
      String promptHash, BuildInfo build, Instant start) throws IOException {
    ObjectNode p = JsonDocument.MAPPER.createObjectNode();
    ObjectNode a = p.putObject("adapter");
    a.put("folder", r.adapter().toAbsolutePath().toString());
    a.put(PeftAdapterFolder.CONFIG, adapter.configSha256());
    a.put(PeftAdapterFolder.WEIGHTS, adapter.weightsSha256());
    a.put("base_model_name_or_path", adapter.config().baseModel());
    head.forEach(a.putArray("head_from_modules_to_save")::add);
    p.put("model", r.model().equals(PretrainedModel.MINILM) ? r.model() : Path.of(r.model()).toAbsolutePath().toString());
    p.put("task", task.name()).put("task_version", task.version());
    ObjectNode data = p.putObject("eval_data");
    Set<Path> seen = new HashSet<>();
    for (Path src : task.reader().sources(TaskData.file(task, r.dataDir(), Split.EVAL))) {
      if (seen.add(src)) {
        data.put(src.getFileName().toString(), Hashes.sha256(src));
      }
    }
    p.put("prompt_hash", promptHash);
    p.putObject("settings").put("limit", st.eval().limit()).put("max_length", st.train().maxLength())
        .put("batch_size", st.eval().batchSize()).put("max_new_tokens", st.eval().maxNewTokens());
    p.set("software", JsonDocument.MAPPER.valueToTree(Observed.Software.of(build)));
    p.put("start", start.toString()).put("end", Instant.now().toString());
    AtomicFiles.write(r.out().resolve("provenance.json"), JsonDocument.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(p) + "\n");
  }
}
