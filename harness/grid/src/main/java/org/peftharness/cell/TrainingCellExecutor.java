package org.peftharness.cell;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.export.AdapterFolder;
import org.peftharness.grid.Cell;
import org.peftharness.grid.CellExecutor;
import org.peftharness.grid.CellProgress;
import org.peftharness.grid.CellResult;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.TrainSection;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.estimate.GradientAccumulator;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.model.ParameterAudit;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.model.graph.HostTensors;
import org.peftharness.results.Hashes;
import org.peftharness.results.Runner;
import org.peftharness.results.SystemInfo;
import org.peftharness.results.provenance.BuildInfo;
import org.peftharness.results.provenance.CellProvenance;
import org.peftharness.results.provenance.Observed;
import org.peftharness.results.provenance.ProvenanceIO;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.Prediction;
import org.peftharness.tasks.score.ScoreResult;
import org.peftharness.tasks.score.ScoringService;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.train.Batch;
import org.peftharness.train.ParamGroup;
import org.peftharness.train.TrainConfig;
import org.peftharness.train.TrainListener;
import org.peftharness.train.TrainResult;
import org.peftharness.train.Trainer;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One grid cell, end to end: read the task's files, load the base model fresh, build the method's
 * graph, run the method's gradient pre-pass if it has one, initialise, train, evaluate, score under
 * every protocol, and write metrics.jsonl, generations.jsonl and provenance.json into the cell's
 * folder.
 */
public final class TrainingCellExecutor implements CellExecutor {
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

  public TrainingCellExecutor(Context context, TaskRegistry tasks, BuildInfo build) {
    this.plan = context;
    this.tasks = tasks;
    this.build = build;
  }

  @Override
  @SuppressWarnings("unchecked")
  public CellResult run(Cell cell, Path dir, BooleanSupplier cancelled, CellProgress progress) throws Exception {
    Instant start = Instant.now();
    TaskSpec task = tasks.get(cell.task());
    TrainSettings st = TrainSettings.of(cell.config());
    progress.phase("reading data", 0);
    List<Example> train = limit(TaskData.examples(task, plan.dataDir(), Split.TRAIN), st.train().limitTrain());
    List<Example> eval = limit(TaskData.examples(task, plan.dataDir(), Split.EVAL), st.eval().limit());
    MethodConfig<?> options = MethodConfig.fromMap((Map<String, Object>) cell.config().get("method"), "cell " + cell.id());
    Path modelDir = plan.modelPath(cell.model());
    SeedStreams seeds = new SeedStreams(cell.seed());

    progress.phase("loading model", 0);
    try (PretrainedModel pm = PretrainedModel.open(modelDir == null ? PretrainedModel.MINILM : modelDir.toString());
        JsonLines metrics = new JsonLines(dir.resolve("metrics.jsonl"));
        JsonLines generations = new JsonLines(dir.resolve("generations.jsonl"))) {
      AdapterFactory factory = AdapterFactory.create(options, pm.config().architecture().defaultTargets(),
          new AdapterDropoutOps());
      try (GraphModel<TFloat32> graph = pm.buildGraph(TFloat32.class, factory)) {
        TaskRun run = switch (pm.config().architecture().headKind()) {
          case SEQUENCE_CLASSIFICATION -> new EncoderTaskRun(graph, pm, task, st, seeds);
          case CAUSAL_LM -> new DecoderTaskRun(graph, pm, task, st);
        };
        run.prepare(train, eval);

        Map<String, FloatTensor> gradients = Map.of();
        Optional<GradientEstimation> ge = options.gradientEstimation();
        if (ge.isPresent()) {
          progress.phase("estimating gradients", ge.get().batches());
          gradients = estimateGradients(graph, factory, run, ge.get(), seeds, progress);
        }
        progress.phase("initialising " + options.name(), 0);
        factory.initialize(graph.session(), seeds, gradients,
            new TrainingPlan(st.train().lr(), st.train().warmupRatio(), st.train().epochs(), run.trainSize()));

        Map<String, Variable<TFloat32>> body = new LinkedHashMap<>();
        if (options.trainsWholeModel()) {
          graph.parameters().forEach((k, p) -> body.put(k, p.variable()));
        } else {
          for (AdapterVariable v : factory.trainableVariables()) {
            body.put(v.name(), (Variable<TFloat32>) v.variable());
          }
        }
        Map<String, Variable<TFloat32>> head = run.headVariables(options.trainsWholeModel());
        List<ParamGroup<TFloat32>> groups = new ArrayList<>(ParamGroup.hfDecaySplit("body", body, st.train().lr(), st.train().weightDecay()));
        if (!head.isEmpty()) {
          groups.addAll(ParamGroup.hfDecaySplit("head", head, st.headLr(), st.train().weightDecay()));
        }
        Optional<GradientTransform> transform = factory.gradientTransform(graph.ops());
        TrainConfig config = st.config(seeds.seed("train"),
            transform.map(t -> t.adamEpsilon(st.train().adamEpsilon())).orElse(st.train().adamEpsilon()));
        Trainer<TFloat32> trainer = new Trainer<>(graph, run.loss(), groups, config,
            transform.<BiFunction<String, Operand<TFloat32>, Operand<TFloat32>>>map(t -> t::apply).orElse(null));

        int batchesPerEpoch = run.batchesPerEpoch();
        progress.phase("training", trainer.totalSteps(batchesPerEpoch));
        Best best = new Best();
        int stepsPerEpoch = (batchesPerEpoch + config.gradientAccumulation() - 1) / config.gradientAccumulation();
        int evalEvery = st.train().evalEachEpoch() ? stepsPerEpoch : st.train().evalEvery();
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
              best.offer(step, evaluate(run, task, eval, null, null), metrics);
            }
          }
        };
        TrainResult result = trainer.train(batchesPerEpoch, run::epoch, listener);
        if (!result.ok()) {
          throw new CellFailedException(result.reason());
        }
        progress.phase("evaluating", 0);
        List<ScoreResult> scores = evaluate(run, task, eval, generations, dir.resolve("verdicts.jsonl"));
        best.offer(result.steps(), scores, metrics);
        List<ScoreResult> reported = st.train().select() == TrainSection.Select.BEST ? best.scores : scores;
        if (st.train().saveAdapter()) {
          Map<String, FloatTensor> headValues = fetch(graph, head);
          Map<String, FloatTensor> full = new LinkedHashMap<>();
          if (options.trainsWholeModel()) {
            full = fetch(graph, body);
          }
          AdapterFolder.write(dir.resolve("adapter"), options, factory, graph.session(), pm.config(),
              pm.loadableName(), headValues, full);
        }

        long trainable = 0;
        for (ParamGroup<TFloat32> g : groups) {
          for (Variable<TFloat32> v : g.variables().values()) {
            trainable += v.shape().size();
          }
        }
        long total = ParameterAudit.modelParameters(pm.config()) + run.headParameterCount();
        double tokensPerSecond = result.seconds() > 0 ? result.tokens() / result.seconds() : 0;
        writeProvenance(dir, cell, task, st, seeds, result, trainable, total, tokensPerSecond, start, run.promptHash(),
            run.freshHeadWeights());
        List<CellResult.Metric> out = new ArrayList<>();
        for (ScoreResult s : reported) {
          out.add(new CellResult.Metric(s.metric(), s.protocol(), s.protocolVersion(), s.value(), s.count(), s.higherIsBetter()));
        }
        return new CellResult(out, trainable, total, tokensPerSecond);
      }
    }
  }

  /** The evaluation chosen by {@code select: best}: the highest first metric seen. */
  private static final class Best {
    List<ScoreResult> scores;
    double value = Double.NEGATIVE_INFINITY;

    void offer(int step, List<ScoreResult> s, JsonLines metrics) {
      ObjectNode n = JsonLines.object();
      n.put("step", step);
      ObjectNode e = n.putObject("eval");
      s.forEach(r -> e.put(r.key(), r.value()));
      metrics.write(n);
      if (s.isEmpty()) {
        return;
      }
      double v = s.get(0).higherIsBetter() ? s.get(0).value() : -s.get(0).value();
      if (scores == null || v > value) {
        value = v;
        scores = s;
      }
    }
  }

  private static List<ScoreResult> evaluate(TaskRun run, TaskSpec task, List<Example> eval, JsonLines generations,
      Path verdicts) {
    Prediction[] preds = run.predict(eval, generations);
    return new ScoringService().score(task, eval, preds, verdicts);
  }

  /**
   * The method's gradient pre-pass on the base model (adapters zeroed): per batch the gradient of
   * the batch-mean loss with respect to every target weight, handed to the method's accumulator
   * one matrix at a time. Dropout is off, as in evaluation mode.
   */
  private static Map<String, FloatTensor> estimateGradients(GraphModel<TFloat32> graph, AdapterFactory factory, TaskRun run,
      GradientEstimation ge, SeedStreams seeds, CellProgress progress) {
    factory.zeroAdapters(graph.session());
    List<AdapterSite> sites = factory.sites();
    List<Operand<?>> weights = new ArrayList<>();
    sites.forEach(s -> weights.add(s.weight()));
    Gradients grads = graph.ops().withSubScope("gradient_estimate").gradients(run.loss(), weights);
    List<Integer> order = ge.shuffle()
        ? TaskRun.shuffled(run.trainSize(), seeds.random(SeedStreams.GRADIENT_ESTIMATE))
        : TaskRun.shuffled(run.trainSize(), null);
    GradientAccumulator acc = ge.accumulator();
    int from = 0;
    int done = 0;
    for (int size : ge.batchSizes()) {
      if (from >= order.size()) {
        break;
      }
      List<Integer> idx = order.subList(from, Math.min(order.size(), from + size));
      from += size;
      Batch b = run.trainBatch(idx);
      List<Tensor> owned = new ArrayList<>();
      try {
        Session.Runner r = graph.session().runner();
        b.feed(r, owned);
        for (int i = 0; i < sites.size(); i++) {
          r.fetch(grads.dy(i));
        }
        try (Result res = r.run()) {
          for (int i = 0; i < sites.size(); i++) {
            acc.add(sites.get(i).module(), HostTensors.toHost(res.get(i)), idx.size());
          }
        }
      } finally {
        owned.forEach(Tensor::close);
      }
      progress.step(++done, Double.NaN);
    }
    return acc.result();
  }

  private void writeProvenance(Path dir, Cell cell, TaskSpec task, TrainSettings st, SeedStreams seeds, TrainResult result,
      long trainable, long total, double tokensPerSecond, Instant start, String promptHash, List<String> freshHeadWeights)
      throws IOException {
    Map<String, Map<String, String>> datasets = new LinkedHashMap<>();
    for (Split split : List.of(Split.TRAIN, Split.EVAL)) {
      Path f = TaskData.file(task, plan.dataDir(), split);
      Map<String, String> d = new LinkedHashMap<>();
      for (Path src : task.reader().sources(f)) {
        d.put(src.getFileName().toString(), Hashes.sha256(src));
      }
      datasets.put(split.name().toLowerCase(Locale.ROOT), d);
    }
    Path modelPath = plan.modelPath(cell.model());
    Observed.Inputs inputs = new Observed.Inputs(datasets, task.version(), plan.dataDir().toAbsolutePath().toString(),
        modelPath == null ? PretrainedModel.MINILM : modelPath.toAbsolutePath().toString(), promptHash);
    Map<String, Long> seedsUsed = new LinkedHashMap<>();
    seedsUsed.put("root", seeds.root());
    seedsUsed.putAll(seeds.derivedSeeds());
    result.seeds().forEach((k, v) -> seedsUsed.put("train/" + k, v));
    Map<String, String> system = new LinkedHashMap<>();
    SystemInfo.collect().forEach((k, v) -> system.put(k, String.valueOf(v)));
    Instant end = Instant.now();
    Observed.Timing timing = new Observed.Timing(start, end, (end.toEpochMilli() - start.toEpochMilli()) / 1000.0, result.seconds());
    Observed.Outcome outcome = new Observed.Outcome(result.steps(), result.finalLoss(), SystemInfo.peakResidentBytes(), trainable,
        total, tokensPerSecond);
    Observed observed = new Observed(Observed.Software.of(build), SystemInfo.device(TensorFlowDevices.hasGpu()), system,
        Runner.current(), inputs, freshHeadWeights, seedsUsed, timing, outcome);
    ProvenanceIO.write(dir.resolve(ProvenanceIO.FILE),
        new CellProvenance(CellProvenance.SCHEMA, cell.id(), cell.index(), plan.gridName(), cell.config(), observed));
  }

  private static Map<String, FloatTensor> fetch(GraphModel<TFloat32> graph, Map<String, Variable<TFloat32>> vars) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Variable<TFloat32>> e : vars.entrySet()) {
      try (Result r = graph.session().runner().fetch(e.getValue()).run()) {
        out.put(e.getKey(), HostTensors.toHost(r.get(0)));
      }
    }
    return out;
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
