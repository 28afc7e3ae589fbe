package org.peftharness.cell;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.export.AdapterFolder;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellExecutor;
import org.peftharness.grid.CellLayout;
import org.peftharness.grid.CellProgress;
import org.peftharness.grid.CellResult;
import org.peftharness.grid.EvalSection;
import org.peftharness.grid.Evaluation;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.TrainSection;
import org.peftharness.grid.TrainingSource;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.Role;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.model.ParameterAudit;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.runtime.TensorFlowRuntime;
import org.peftharness.results.Hashes;
import org.peftharness.results.Runner;
import org.peftharness.results.SystemInfo;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.CellProvenance;
import org.peftharness.results.provenance.Observed;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.score.ScoringService;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.tasks.training.ValidationHoldout;
import org.peftharness.train.LoraPlusGroups;
import org.peftharness.train.ParamGroup;
import org.peftharness.train.TrainConfig;
import org.peftharness.train.TrainListener;
import org.peftharness.train.TrainResult;
import org.peftharness.train.Trainer;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One grid cell, end to end: load the base model fresh and build the method's graph; then, unless
 * the cell's training is stored, read its training data, run the method's gradient pre-pass if it
 * has one, initialise, train, record the training (provenance.json, metrics.jsonl) and store the
 * trained variables; otherwise restore them. Then each pending evaluation: read the task's
 * evaluation split, predict, score under every protocol and record it under {@code eval/<task>/}
 * (see {@link CellLayout}).
 */
public final class TrainingCellExecutor implements CellExecutor, AutoCloseable {
  /** Where a cell's files are: the tasks' data folder and each model's folder (null for {@code minilm}). */
  public interface Context {
    String gridName();

    Path dataDir();

    Path modelPath(String model);

    static Context of(GridPlan plan) {
      return new Context() {
        @Override
        public String gridName() {
          return plan.spec().name();
        }

        @Override
        public Path dataDir() {
          return plan.dataDir();
        }

        @Override
        public Path modelPath(String model) {
          return plan.modelPath(model);
        }
      };
    }
  }

  private final Context plan;
  private final TaskRegistry tasks;
  private final BuildInfo build;
  private final OpenModel models = new OpenModel();

  public TrainingCellExecutor(Context context, TaskRegistry tasks, BuildInfo build) {
    this.plan = context;
    this.tasks = tasks;
    this.build = build;
  }

  /** Closes the pretrained model kept open between cells. */
  @Override
  public void close() {
    models.close();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void run(Cell cell, List<Evaluation> evaluations, Path dir, BooleanSupplier cancelled, CellProgress progress,
      EvaluationSink done) throws Exception {
    TrainSettings st = TrainSettings.of(cell.config());
    MethodConfig<?> options = MethodConfig.fromMap((Map<String, Object>) cell.config().get("method"), "cell " + cell.id());
    TrainingSource source = TrainingSource.of(cell.config(), tasks);
    Path modelDir = plan.modelPath(cell.model());
    SeedStreams seeds = new SeedStreams(cell.seed());
    boolean stored = CellLayout.hasStoredTraining(dir);

    progress.phase("loading model", 0);
    PretrainedModel pm = models.get(modelDir == null ? PretrainedModel.MINILM : modelDir.toString());
    AdapterFactory factory = AdapterFactory.create(options, pm.config().architecture().defaultTargets(),
        new AdapterDropoutOps());
    try (GraphModel<TFloat32> graph = pm.buildGraph(TFloat32.class, factory, precision(st, options, evaluations))) {
      TaskRun run = switch (pm.config().architecture().headKind()) {
        case SEQUENCE_CLASSIFICATION -> new EncoderTaskRun(graph, pm, source.task(), st, seeds);
        case CAUSAL_LM -> new DecoderTaskRun(graph, pm, st);
      };
      Map<String, Variable<?>> state = storedVariables(graph, factory, run, options);
      TrainedState trained;
      ValidationHoldout heldOut = null; // from this process's reading of the training file, if it trained
      if (stored) {
        progress.phase("restoring the stored training", 0);
        TrainedState.restore(dir, graph, state);
        trained = TrainedState.read(dir);
      } else {
        progress.phase("reading training data", 0);
        TrainingSource.Read read = source.read(plan.dataDir(), seeds, st.train().validationSize());
        heldOut = read.holdout();
        trained = train(cell, dir, st, options, source, read, seeds, pm, factory, graph, run, state, cancelled, progress);
        TrainedState.save(dir, graph, state, trained);
      }
      for (Evaluation e : evaluations) {
        if (cancelled.getAsBoolean()) {
          throw new CellCancelledException();
        }
        evaluate(cell, e, dir, st, source, heldOut, run, trained, stored, progress, done);
      }
    }
  }

  /**
   * What a stored training holds: the variables the optimizer trained, those the method's
   * initialisation set (frozen factors, a residual weight), and the whole task head; none of the
   * model's own weights that the checkpoint gives back unchanged.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Variable<?>> storedVariables(GraphModel<TFloat32> graph, AdapterFactory factory,
      TaskRun run, MethodConfig<?> options) {
    Map<String, Variable<?>> out = new LinkedHashMap<>();
    if (options.trainsWholeModel()) {
      graph.parameters().forEach((k, p) -> out.put("model/" + k, p.trainable()));
    } else {
      for (AdapterVariable v : factory.variables()) {
        if (v.trainable() || v.assign() != null) {
          out.put("model/" + v.name(), (Variable<?>) v.variable());
        }
      }
    }
    run.headVariables(true).forEach((k, v) -> out.put("head/" + k, v));
    return out;
  }

  /**
   * The cell's training: read its data (holding validation examples out when asked), run the
   * method's gradient pre-pass if it has one, initialise, train (evaluating during training when
   * the settings ask; with {@code select: validation}, keeping the variables of the best validation
   * score and restoring them at the end), export the adapter when asked, and record the training's
   * provenance. A method that trains nothing only records.
   */
  @SuppressWarnings("unchecked")
  private TrainedState train(Cell cell, Path dir, TrainSettings st, MethodConfig<?> options, TrainingSource source,
      TrainingSource.Read read, SeedStreams seeds, PretrainedModel pm, AdapterFactory factory, GraphModel<TFloat32> graph,
      TaskRun run, Map<String, Variable<?>> state, BooleanSupplier cancelled, CellProgress progress) throws IOException {
    Instant start = Instant.now();
    List<Example> train = limit(read.train(), st.train().limitTrain());
    run.prepareTraining(train, source.template());
    Map<String, Variable<TFloat32>> head = run.headVariables(options.trainsWholeModel());
    long total = ParameterAudit.modelParameters(pm.config()) + run.headParameterCount();
    if (options.trainsNothing()) {
      TrainedState.Outcome none = new TrainedState.Outcome(0, Double.NaN, 0, 0, 0, total, start.toString(), Instant.now().toString());
      writeProvenance(dir, cell, source, read.holdout(), seeds, null, none, start, run, Map.of());
      return new TrainedState(none, List.of(), 0);
    }

    Map<String, FloatTensor> gradients = Map.of();
    Map<String, String> prePass = Map.of();
    Optional<GradientEstimation> ge = options.gradientEstimation();
    if (ge.isPresent()) {
      progress.phase("estimating gradients", ge.get().batches());
      GradientPrePass pass = new GradientPrePass(graph, factory, run, ge.get(), seeds);
      gradients = pass.run(progress);
      prePass = pass.record();
    }
    progress.phase("initialising " + options.name(), 0);
    factory.initialize(graph.session(), seeds, gradients,
        new TrainingPlan(st.train().lr(), st.train().warmupRatio(), st.train().epochs(), run.trainSize()));

    Map<String, Variable<TFloat32>> body = new LinkedHashMap<>();
    Set<String> bMatrices = new HashSet<>();
    if (options.trainsWholeModel()) {
      graph.parameters().forEach((k, p) -> body.put(k, p.trainable()));
    } else {
      for (AdapterVariable v : factory.trainableVariables()) {
        body.put(v.name(), (Variable<TFloat32>) v.variable());
        if (v.role().equals(Role.B)) {
          bMatrices.add(v.name());
        }
      }
    }
    List<ParamGroup<TFloat32>> groups = new ArrayList<>(paramGroups("body", body, bMatrices, st.train().lr(), st));
    if (!head.isEmpty()) {
      groups.addAll(paramGroups("head", head, Set.of(), st.headLr(), st));
    }
    Optional<GradientTransform> transform = factory.gradientTransform(graph.ops());
    TrainConfig config = st.config(seeds.seed("train"),
        transform.map(t -> t.adamEpsilon(st.train().adamEpsilon())).orElse(st.train().adamEpsilon()));
    Trainer<TFloat32> trainer = new Trainer<>(graph, run.loss(), groups, config,
        transform.<BiFunction<String, Operand<TFloat32>, Operand<TFloat32>>>map(t -> t::apply).orElse(null));

    int batchesPerEpoch = run.batchesPerEpoch();
    progress.phase("training", trainer.totalSteps(batchesPerEpoch));
    int stepsPerEpoch = (batchesPerEpoch + config.gradientAccumulation() - 1) / config.gradientAccumulation();
    int evalEvery = st.train().evalEachEpoch() ? stepsPerEpoch : st.train().evalEvery();
    // during training the plan evaluates the held-out validation examples, or (select: best, or no
    // validation) the reported split of a cell with one evaluation, of its training task
    boolean onValidation = read.holdout() != null && st.train().select() != TrainSection.Select.BEST;
    Evaluation watched = onValidation ? cell.validation() : cell.reported().get(0);
    // read and resolved once, not at every evaluation during training
    TaskSpec watchedTask = evalEvery > 0 ? tasks.get(watched.task()) : null;
    EvalSection watchedSettings = evalEvery > 0 ? evalSettings(watched) : null;
    List<Example> watchedExamples = evalEvery == 0 ? null
        : onValidation ? read.holdout().validation() : evalExamples(watchedTask, watchedSettings);
    boolean selectOnValidation = st.train().select() == TrainSection.Select.VALIDATION;
    Best best = new Best();
    int[] bestStep = {0};
    Map<String, FloatTensor>[] bestValues = new Map[1];
    List<TrainedState.StepScores> inTraining = new ArrayList<>();
    TrainResult result;
    try (JsonLines metrics = new JsonLines(dir.resolve("metrics.jsonl"))) {
      TrainListener listener = new TrainListener() {
        @Override
        public void onLog(StepLog log) {
          ObjectNode n = JsonLines.object();
          n.put("step", log.step()).put("epoch", log.epoch()).put("loss", log.loss()).put("lr", log.learningRate())
              .put("grad_norm", log.gradNorm()).put("tokens_per_s", log.tokensPerSecond());
          metrics.write(n);
          progress.step(log.step(), log.loss());
        }

        @Override
        public void onStep(int step) {
          if (cancelled.getAsBoolean()) {
            throw new CellCancelledException();
          }
          if (evalEvery > 0 && step % evalEvery == 0 && step < trainer.totalSteps(batchesPerEpoch)) {
            List<ScoreResult> scores = score(watchedTask, run, watchedExamples, watchedSettings, null, null);
            inTraining.add(new TrainedState.StepScores(step, scores));
            logEvaluation(metrics, step, scores, onValidation);
            if (selectOnValidation && best.offer(scores)) {
              bestStep[0] = step;
              bestValues[0] = VariableValues.fetch(graph, state);
            }
          }
        }
      };
      result = trainer.train(batchesPerEpoch, run::epoch, listener);
      if (result.ok() && selectOnValidation) {
        List<ScoreResult> last = score(watchedTask, run, watchedExamples, watchedSettings, null, null);
        inTraining.add(new TrainedState.StepScores(result.steps(), last));
        logEvaluation(metrics, result.steps(), last, true);
        if (best.offer(last)) {
          bestStep[0] = result.steps();
        } else {
          VariableValues.assign(graph, state, bestValues[0], "restore_selected");
        }
      }
    }
    if (!result.ok()) {
      throw new CellFailedException(result.reason());
    }
    if (st.train().saveAdapter()) {
      Map<String, FloatTensor> full = options.trainsWholeModel() ? VariableValues.fetch(graph, body) : new LinkedHashMap<>();
      AdapterFolder.write(dir.resolve("adapter"), options, factory, graph.session(), pm.config(), pm.loadableName(),
          VariableValues.fetch(graph, head), full);
    }
    long trainable = 0;
    for (ParamGroup<TFloat32> g : groups) {
      for (Variable<TFloat32> v : g.variables().values()) {
        trainable += v.shape().size();
      }
    }
    TrainedState.Outcome outcome = new TrainedState.Outcome(result.steps(), result.finalLoss(), result.seconds(), result.tokens(),
        trainable, total, start.toString(), Instant.now().toString());
    writeProvenance(dir, cell, source, read.holdout(), seeds, result, outcome, start, run, prePass);
    return new TrainedState(outcome, inTraining, selectOnValidation ? bestStep[0] : result.steps());
  }

  /**
   * Hugging Face's decay split, or with LoRA+ on ({@code loraplus_lr_ratio > 0}, checked at plan
   * time to come with a method that trains a B) LLaMA-Factory's LoRA+ groups. The head's trainable
   * parameters are grouped by the same rule, as the reference groups all of model.named_parameters()
   * (a head bias is one-dimensional), with the head's learning rate as their base.
   */
  private static List<ParamGroup<TFloat32>> paramGroups(String name, Map<String, Variable<TFloat32>> vars,
      Set<String> bMatrices, double lr, TrainSettings st) {
    double ratio = st.train().loraplusLrRatio();
    return ratio > 0 ? LoraPlusGroups.split(name, vars, bMatrices, lr, ratio, st.train().weightDecay())
        : ParamGroup.hfDecaySplit(name, vars, lr, st.train().weightDecay());
  }

  /**
   * One evaluation on the trained (or restored) model: predictions, scores under every protocol,
   * its record and rows. The held-out validation examples are the training's own when this process
   * trained ({@code heldOut}); after a restore they are drawn again from the training file, as the
   * training drew them.
   */
  private void evaluate(Cell cell, Evaluation e, Path dir, TrainSettings st, TrainingSource source,
      ValidationHoldout heldOut, TaskRun run, TrainedState trained, boolean restored, CellProgress progress,
      EvaluationSink done) throws IOException {
    Instant start = Instant.now();
    TaskSpec task = tasks.get(e.task());
    EvalSection settings = evalSettings(e);
    List<Example> eval;
    ValidationHoldout holdout = null;
    try {
      if (e.isValidation()) {
        holdout = heldOut != null ? heldOut : source.validation(plan.dataDir(), st.train().validationSize());
        eval = holdout.validation();
      } else {
        eval = evalExamples(task, settings);
      }
    } catch (InvalidInputException ex) {
      done.failed(e, ex.getMessage());
      return;
    }
    progress.phase(cell.trainsOnItsOnlyTask() && !e.isValidation() ? "evaluating" : "evaluating " + e.label(), 0);
    Path evalDir = CellLayout.evalDir(dir, e);
    Files.createDirectories(evalDir);
    TaskRun.Predicted predicted;
    List<ScoreResult> scores;
    try (JsonLines generations = new JsonLines(evalDir.resolve("generations.jsonl"))) {
      predicted = run.predict(task, eval, settings, generations);
      scores = new ScoringService().score(task, eval, predicted.predictions(), evalDir.resolve("verdicts.jsonl"));
    }
    List<ScoreResult> reported = scores;
    if (st.train().select() == TrainSection.Select.BEST && !e.isValidation()) {
      // the papers' protocol: the best of the evaluations of this same split during training
      Best best = new Best();
      trained.inTraining().forEach(s -> best.offer(s.scores()));
      best.offer(scores);
      reported = best.scores;
    }
    EvaluationRecord.write(evalDir, cell, e, task, plan.dataDir(), holdout, predicted.promptHash(), restored, trained,
        start, Instant.now(), build);
    if (cell.trainsOnItsOnlyTask() && !e.isValidation() && trained.outcome().steps() > 0) {
      // the training log ends with the evaluation of the task it trained for, as the loss charts read it
      ObjectNode n = JsonLines.object().put("step", trained.outcome().steps());
      ObjectNode ev = n.putObject("eval");
      scores.forEach(r -> ev.put(r.key(), r.value()));
      JsonLines.append(dir.resolve("metrics.jsonl"), n);
    }
    TrainedState.Outcome o = trained.outcome();
    List<CellResult.Metric> out = new ArrayList<>();
    for (ScoreResult s : reported) {
      out.add(new CellResult.Metric(s.metric(), s.protocol(), s.protocolVersion(), s.value(), s.count(), s.higherIsBetter()));
    }
    done.evaluated(e, new CellResult(out, o.trainableParams(), o.totalParams(), o.tokensPerSecond()));
  }

  /**
   * The precision the cell's graph runs in: the training's; for a cell that trains nothing, its
   * evaluations' (the plan refuses a cell whose evaluations would need two graphs, {@code PrecisionCheck}).
   */
  static Precision precision(TrainSettings st, MethodConfig<?> options, List<Evaluation> evaluations) {
    if (options.trainsNothing() && !evaluations.isEmpty()) {
      return evalSettings(evaluations.get(0)).precision(st.train());
    }
    return st.train().precision();
  }

  @SuppressWarnings("unchecked")
  private static EvalSection evalSettings(Evaluation e) {
    return EvalSection.of((Map<String, Object>) e.config().get("eval"));
  }

  private List<Example> evalExamples(TaskSpec task, EvalSection settings) {
    return limit(TaskData.examples(task, plan.dataDir(), Split.EVAL), settings.limit());
  }

  /** An evaluation during training, in the training log: under "validation" for held-out examples, else "eval". */
  private static void logEvaluation(JsonLines metrics, int step, List<ScoreResult> s, boolean validation) {
    ObjectNode n = JsonLines.object();
    n.put("step", step);
    ObjectNode e = n.putObject(validation ? "validation" : "eval");
    s.forEach(r -> e.put(r.key(), r.value()));
    metrics.write(n);
  }

  /** The best of several evaluations: the one with the best first metric, the earliest on a tie. */
  private static final class Best {
    List<ScoreResult> scores;
    double value = Double.NEGATIVE_INFINITY;

    /** Whether {@code s} is the new best. */
    boolean offer(List<ScoreResult> s) {
      if (s.isEmpty()) {
        return false;
      }
      double v = s.get(0).higherIsBetter() ? s.get(0).value() : -s.get(0).value();
      if (scores == null || v > value) {
        value = v;
        scores = s;
        return true;
      }
      return false;
    }
  }

  private static List<ScoreResult> score(TaskSpec task, TaskRun run, List<Example> eval, EvalSection settings,
      JsonLines generations, Path verdicts) {
    TaskRun.Predicted p = run.predict(task, eval, settings, generations);
    return new ScoringService().score(task, eval, p.predictions(), verdicts);
  }

  /** The training's record: what it read (training data only; each evaluation records its own), seeds, time, outcome. */
  private void writeProvenance(Path dir, Cell cell, TrainingSource source, ValidationHoldout holdout, SeedStreams seeds,
      TrainResult result, TrainedState.Outcome outcome, Instant start, TaskRun run, Map<String, String> prePass)
      throws IOException {
    Map<String, Map<String, String>> datasets = new LinkedHashMap<>();
    Map<String, String> d = new LinkedHashMap<>();
    for (Path src : source.files(plan.dataDir())) {
      d.put(src.getFileName().toString(), Hashes.sha256(src));
    }
    datasets.put("train", d);
    if (holdout != null) {
      datasets.put("validation", HeldOutRecord.of(holdout));
    }
    Path modelPath = plan.modelPath(cell.model());
    int version = source.task() != null ? source.task().version() : source.set().version();
    Observed.Inputs inputs = new Observed.Inputs(datasets, version, plan.dataDir().toAbsolutePath().toString(),
        modelPath == null ? PretrainedModel.MINILM : modelPath.toAbsolutePath().toString(), run.trainingHash());
    Map<String, Long> seedsUsed = new LinkedHashMap<>();
    seedsUsed.put("root", seeds.root());
    seedsUsed.putAll(seeds.derivedSeeds());
    if (result != null) {
      result.seeds().forEach((k, v) -> seedsUsed.put("train/" + k, v));
    }
    Map<String, String> system = new LinkedHashMap<>();
    SystemInfo.collect().forEach((k, v) -> system.put(k, String.valueOf(v)));
    Instant end = Instant.now();
    Observed.Timing timing = new Observed.Timing(start, end, (end.toEpochMilli() - start.toEpochMilli()) / 1000.0,
        outcome.trainSeconds());
    Observed.Outcome measured = new Observed.Outcome(outcome.steps(), outcome.finalLoss(), SystemInfo.peakResidentBytes(),
        outcome.trainableParams(), outcome.totalParams(), outcome.tokensPerSecond());
    TensorFlowRuntime tf = TensorFlowRuntime.current();
    Observed observed = new Observed(Observed.Software.of(build), SystemInfo.device(tf.hasGpu()), tf.placement(),
        tf.build().label(), system, Runner.current(), inputs, run.freshHeadWeights(), seedsUsed, timing, measured, prePass);
    ProvenanceIO.write(dir.resolve(ProvenanceIO.FILE),
        new CellProvenance(CellProvenance.SCHEMA, cell.id(), cell.index(), plan.gridName(), cell.config(), observed));
  }

  private static List<Example> limit(List<Example> all, int n) {
    return n > 0 && n < all.size() ? List.copyOf(all.subList(0, n)) : all;
  }

  static String hash(List<String> texts) {
    Hashes.Running h = new Hashes.Running();
    texts.forEach(h::add);
    return h.hex();
  }

  static int[] truncate(int[] ids, int max) {
    return ids.length <= max ? ids : Arrays.copyOf(ids, max);
  }
}
