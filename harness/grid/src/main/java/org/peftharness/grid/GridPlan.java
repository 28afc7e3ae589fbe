package org.peftharness.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.text.DidYouMean;
import org.peftharness.core.yaml.YNode;
import org.peftharness.model.Architecture;
import org.peftharness.model.ArchitectureRegistry;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.PretrainedModel;
import org.peftharness.results.Hashes;
import org.peftharness.results.PlanManifest;
import org.peftharness.results.ResultRow;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskKind;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.tasks.training.TrainingSet;
import org.peftharness.tasks.training.TrainingSetRegistry;

/**
 * A validated, expanded grid: every error in the file found in one pass (unknown tasks, models,
 * methods, missing data files, bad settings, ranks the model cannot take), then the cells in a
 * fixed order: models x methods x ranks x sweep points x tasks x seeds. A grid with {@code train_on:} has no
 * task axis in its cells: each cell trains once and is evaluated on every task, in the grid's order.
 */
public final class GridPlan {
  private final GridSpec spec;
  private final Path dataDir;
  private final Path modelsDir;
  private final List<Cell> cells;
  private final Map<String, Path> modelPaths;
  private final List<Path> baselineFiles;

  private GridPlan(GridSpec spec, Path dataDir, Path modelsDir, List<Cell> cells, Map<String, Path> modelPaths,
      List<Path> baselineFiles) {
    this.spec = spec;
    this.baselineFiles = baselineFiles;
    this.dataDir = dataDir;
    this.modelsDir = modelsDir;
    this.cells = cells;
    this.modelPaths = modelPaths;
  }

  /**
   * Reads, validates and expands a grid file; see {@link #build}.
   *
   * @param dataDirOverride {@code --data-dir}, or null for the grid's {@code data_dir} (relative to
   *     the grid file) or else {@code ./data}
   * @param modelsDirOverride {@code --models-dir}, or null for the grid's {@code models_dir} or
   *     else the grid file's folder
   */
  public static GridPlan load(Path gridFile, Path dataDirOverride, Path modelsDirOverride, TaskRegistry tasks,
      MethodCatalog methods, boolean checkFiles) {
    GridParser.Parsed parsed = GridParser.read(gridFile);
    if (parsed.spec() == null) {
      throw parsed.errors().get(0);
    }
    return build(parsed.spec(), parsed.errors(), dataDirOverride, modelsDirOverride, tasks, methods, checkFiles);
  }

  public static GridPlan load(Path gridFile, Path dataDirOverride, Path modelsDirOverride, TaskRegistry tasks,
      MethodCatalog methods) {
    return load(gridFile, dataDirOverride, modelsDirOverride, tasks, methods, true);
  }

  /**
   * @param checkFiles whether the tasks' data files and the models' weights must be present (a
   *     run needs them; validating a paper grid on a machine without them does not)
   */
  private static GridPlan build(GridSpec spec, List<InvalidInputException> parseErrors, Path dataDirOverride,
      Path modelsDirOverride, TaskRegistry tasks, MethodCatalog methods, boolean checkFiles) {
    Path gridDir = spec.file().toAbsolutePath().getParent();
    Path dataDir = dataDirOverride != null ? dataDirOverride
        : spec.dataDir() != null ? gridDir.resolve(spec.dataDir()) : Path.of("data").toAbsolutePath();
    Path modelsDir = modelsDirOverride != null ? modelsDirOverride
        : spec.modelsDir() != null ? gridDir.resolve(spec.modelsDir()) : gridDir;
    List<InvalidInputException> errors = new ArrayList<>(parseErrors);
    String file = spec.file().toString();

    Map<String, ModelConfig> models = new LinkedHashMap<>();
    Map<String, Path> modelPaths = new LinkedHashMap<>();
    for (String m : spec.models()) {
      try {
        if (m.equals(PretrainedModel.MINILM)) {
          models.put(m, PretrainedModel.readConfig(m));
          modelPaths.put(m, null);
        } else {
          Path dir = modelsDir.resolve(m);
          if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(file, spec.line("models"), "models", "model '" + m + "' is neither 'minilm' nor a folder (looked for " + dir + ")");
          }
          models.put(m, ModelConfig.read(dir.resolve("config.json")));
          modelPaths.put(m, dir);
          if (checkFiles && !hasWeights(dir)) {
            throw new InvalidInputException(file, spec.line("models"), "models", "model '" + m + "' has a config.json but no weights in " + dir
                + " (model.safetensors, its shards, or *.safetensors); give --models-dir");
          }
        }
      } catch (InvalidInputException e) {
        errors.add(e);
      }
    }

    Map<String, TaskSpec> taskSpecs = new LinkedHashMap<>();
    for (String t : spec.tasks()) {
      try {
        taskSpecs.put(t, tasks.get(t));
      } catch (InvalidInputException e) {
        errors.add(new InvalidInputException(file, spec.line("tasks"), "tasks", e.problem()));
      }
    }

    checkHeads(models, taskSpecs, spec, errors);

    List<Path> baselineFiles = new ArrayList<>();
    for (String b : spec.baselines()) {
      Path f = gridDir.resolve(b).normalize();
      if (Files.isRegularFile(f)) {
        baselineFiles.add(f);
      } else {
        errors.add(new InvalidInputException(file, spec.line("baselines"), "baselines", "baseline file '" + b + "' not found (looked for " + f + ")"));
      }
    }

    for (MethodEntry me : spec.methods()) {
      if (!methods.names().contains(me.name())) {
        errors.add(new InvalidInputException(me.node().source(), me.node().line(), "methods",
            "unknown method '" + me.name() + "'" + DidYouMean.suggest(me.name(), methods.names())));
      } else if (methods.usesRank(me.name()) && me.ranks().isEmpty()) {
        errors.add(new InvalidInputException(me.node().source(), me.node().line(), "methods", me.name() + " needs ranks: [...]"));
      } else if (!methods.usesRank(me.name()) && !me.ranks().isEmpty()) {
        errors.add(new InvalidInputException(me.node().source(), me.node().line(), "methods", me.name() + " takes no rank"));
      }
    }

    List<Sweep.Point> globalSweep = Sweep.of(spec.train(), "train", errors);
    Map<String, Object> train = TrainSection.SECTION.layer(TrainSection.SECTION.defaults(), globalSweep.get(0).section(), "train", errors);
    Map<String, Object> eval = EvalSection.SECTION.layer(EvalSection.SECTION.defaults(), spec.eval(), "eval", errors);
    for (int i = 0; i < spec.overrides().size(); i++) {
      GridOverride o = spec.overrides().get(i);
      TrainSection.SECTION.layer(train, o.train(), "overrides[" + i + "].train", errors);
      EvalSection.SECTION.layer(eval, o.eval(), "overrides[" + i + "].eval", errors);
      checkWhen(o, i, spec, errors);
    }
    Map<MethodEntry, List<Sweep.Point>> methodSweeps = new LinkedHashMap<>();
    for (MethodEntry me : spec.methods()) {
      methodSweeps.put(me, Sweep.of(me.train(), "methods." + me.name() + ".train", errors));
      for (Sweep.Point p : methodSweeps.get(me)) {
        TrainSection.SECTION.layer(train, p.section(), "methods." + me.name() + ".train", errors);
      }
      EvalSection.SECTION.layer(eval, me.eval(), "methods." + me.name() + ".eval", errors);
    }
    List<Cell> cells = new ArrayList<>();
    for (String model : spec.models()) {
      if (!models.containsKey(model)) {
        continue;
      }
      for (MethodEntry me : spec.methods()) {
        if (!methods.names().contains(me.name())) {
          continue;
        }
        TrainOn on = me.trainOn() != null ? me.trainOn() : spec.trainOn();
        Training training = on == null ? null : training(on, tasks, models.get(model), model, taskSpecs, errors);
        if (on != null && training == null) {
          continue;
        }
        List<Integer> ranks = me.ranks().isEmpty() ? Collections.singletonList(null) : me.ranks();
        for (Integer rank : ranks) {
          for (Axes axes : sweepPoints(model, me, rank, models.get(model), methods, globalSweep, methodSweeps.get(me), errors)) {
            expand(cells, spec, axes, training, taskSpecs, errors);
          }
        }
      }
    }

    TrainMethodCheck.check(spec, cells, methods, errors);
    PrecisionCheck.check(spec, cells, methods, errors);
    cells = TunedCells.apply(cells, spec, errors);
    if (checkFiles) {
      checkDataFiles(cells, spec, dataDir, tasks, errors);
    }
    if (!errors.isEmpty()) {
      throw errors.size() == 1 ? errors.get(0) : new InvalidInputException.Many(dedupe(errors));
    }
    return new GridPlan(spec, dataDir, modelsDir, List.copyOf(cells), modelPaths, List.copyOf(baselineFiles));
  }

  /** The files the cells read must be there: each training's data, each evaluated task's evaluation split. */
  private static void checkDataFiles(List<Cell> cells, GridSpec spec, Path dataDir, TaskRegistry tasks,
      List<InvalidInputException> errors) {
    Map<Path, String> needed = new LinkedHashMap<>();
    for (Cell c : cells) {
      TrainingSource source = TrainingSource.of(c.config(), tasks);
      for (Path f : source.generated() ? List.<Path>of() : source.files(dataDir)) {
        needed.putIfAbsent(f, source.describe() + " needs %s" + (source.task() != null ? " (train split)" : ""));
      }
      for (Evaluation e : c.evaluations()) {
        TaskSpec t = tasks.get(e.task());
        if (t.generator() == null) {
          for (Path f : t.reader().sources(dataDir.resolve(t.file(Split.EVAL)))) {
            needed.putIfAbsent(f, "task '" + t.name() + "' needs %s (eval split)");
          }
        }
      }
    }
    needed.forEach((f, what) -> {
      if (!Files.isRegularFile(f)) {
        String key = what.startsWith("training set") ? "train_on" : "tasks";
        errors.add(new InvalidInputException(spec.file().toString(), spec.line(key), key, String.format(Locale.ROOT, what, f)
            + "; give --data-dir or put the file there"));
      }
    });
  }

  /** Every task must suit every model's head: a generation task needs a causal LM, a GLUE task an encoder head. */
  private static void checkHeads(Map<String, ModelConfig> models, Map<String, TaskSpec> tasks, GridSpec spec,
      List<InvalidInputException> errors) {
    models.forEach((model, config) -> tasks.values().forEach(task -> {
      Architecture arch = config.architecture();
      if (!arch.headKind().serves(task.kind())) {
        String kind = task.kind().name().toLowerCase(Locale.ROOT);
        errors.add(new InvalidInputException(spec.file().toString(), spec.line("tasks"), "tasks", "task '" + task.name()
            + "' is a " + kind + " task, which model '" + model + "' (" + config.modelType() + ", "
            + arch.headKind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " head) cannot run; it needs a model_type of "
            + String.join(", ", ArchitectureRegistry.BUILT_IN.modelTypesServing(task.kind()))));
      }
    }));
  }

  private static boolean hasWeights(Path dir) {
    try (var s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The cells of one model x method x rank x sweep point: one per seed, for each task or trained once for all tasks. */
  private static void expand(List<Cell> cells, GridSpec spec, Axes axes, Training training, Map<String, TaskSpec> taskSpecs,
      List<InvalidInputException> errors) {
    if (training != null) {
      List<TaskSpec> evals = spec.tasks().stream().filter(taskSpecs::containsKey).map(taskSpecs::get).toList();
      for (long seed : spec.seeds()) {
        cells.add(cell(cells.size(), spec, axes, training, evals, seed, errors));
      }
      return;
    }
    for (String task : spec.tasks()) {
      if (!taskSpecs.containsKey(task)) {
        continue;
      }
      TaskSpec ts = taskSpecs.get(task);
      for (long seed : spec.seeds()) {
        cells.add(cell(cells.size(), spec, axes, Training.ownSplit(ts), List.of(ts), seed, errors));
      }
    }
  }

  /**
   * The sweep points of one model x method entry x rank: every point of the entry's option sweeps
   * (resolved and checked by the catalog) with every point of the grid's and the entry's
   * {@code train:} sweeps.
   */
  private static List<Axes> sweepPoints(String model, MethodEntry me, Integer rank, ModelConfig config, MethodCatalog methods,
      List<Sweep.Point> global, List<Sweep.Point> own, List<InvalidInputException> errors) {
    List<Axes> out = new ArrayList<>();
    for (Map<String, Object> optionPoint : Sweep.options(me, methods)) {
      MethodEntry at = me.at(optionPoint);
      Map<String, Object> methodConfig;
      try {
        methodConfig = new TreeMap<>(methods.resolve(at, rank, config));
      } catch (InvalidInputException e) {
        errors.add(e);
        continue;
      }
      methodConfig.putIfAbsent("method", me.name());
      for (Sweep.Point g : global) {
        for (Sweep.Point m : own) {
          Map<String, String> sweep = new LinkedHashMap<>();
          optionPoint.forEach((k, v) -> sweep.put(k, String.valueOf(v)));
          sweep.putAll(g.values());
          sweep.putAll(m.values());
          out.add(new Axes(model, at, rank, methodConfig, g.section(), m.section(), sweep));
        }
      }
    }
    return out;
  }

  /**
   * One model x method entry x rank x sweep point: the method's resolved configuration and the
   * grid's and the entry's {@code train:} sections at that point.
   */
  private record Axes(String model, MethodEntry method, Integer rank, Map<String, Object> methodConfig, YNode globalTrain,
      YNode methodTrain, Map<String, String> sweep) {}

  /**
   * What a cell trains on, resolved: how rows and labels name it, and its entry in the cell's
   * configuration. A task's own split, unsliced, is written exactly as the common case writes
   * it, so {@code train_on: gsm8k} and a plain {@code gsm8k} cell are the same training.
   */
  private record Training(String label, Map<String, Object> config, TaskSpec task) {
    static Training ownSplit(TaskSpec task) {
      return new Training(task.name(), Map.of("task", taskRef(task)), task);
    }
  }

  private static Map<String, Object> taskRef(TaskSpec task) {
    return Map.of("name", task.name(), "version", task.version());
  }

  /** Resolves {@code train_on:} against the training sets and the tasks, and checks it suits the model and the evaluated tasks. */
  private static Training training(TrainOn on, TaskRegistry tasks, ModelConfig config, String model,
      Map<String, TaskSpec> evalTasks, List<InvalidInputException> errors) {
    String src = on.node().source();
    int line = on.node().line();
    TrainingSetRegistry sets = TrainingSetRegistry.builtin();
    Map<String, Object> c = new TreeMap<>();
    if (sets.has(on.set())) {
      TrainingSet set = sets.get(on.set());
      if (!config.architecture().headKind().serves(TaskKind.GENERATION)) {
        errors.add(new InvalidInputException(src, line, "train_on", "training set '" + set.name() + "' is generation data, which model '"
            + model + "' (" + config.modelType() + ") cannot train on; an encoder trains on a task: train_on: <task>"));
        return null;
      }
      try {
        c.put("template", set.template(on.template(), src, line).name());
      } catch (InvalidInputException e) {
        errors.add(e);
        return null;
      }
      c.put("set", set.name());
      c.put("version", set.version());
      c.put("first", on.first());
      c.put("shuffle", on.shuffle());
      return new Training(on.label(), c, null);
    }
    TaskSpec task;
    try {
      task = tasks.get(on.set());
    } catch (InvalidInputException e) {
      List<String> known = new ArrayList<>(sets.names());
      known.addAll(tasks.names());
      errors.add(new InvalidInputException(src, line, "train_on", "'" + on.set() + "' is neither a training set ("
          + String.join(", ", sets.names()) + ") nor a task" + DidYouMean.suggest(on.set(), known)));
      return null;
    }
    if (on.template() != null) {
      errors.add(new InvalidInputException(src, line, "train_on.template", "a task trains with its own template; "
          + "template: chooses among a training set's (" + String.join(", ", sets.names()) + ")"));
      return null;
    }
    for (TaskSpec e : evalTasks.values()) {
      boolean sameHead = e.kind() == task.kind() && e.labelNames().equals(task.labelNames());
      if (!config.architecture().headKind().serves(TaskKind.GENERATION) && !sameHead) {
        errors.add(new InvalidInputException(src, line, "train_on", "task '" + e.name() + "' (" + e.kind().name().toLowerCase(Locale.ROOT)
            + ", labels " + e.labelNames() + ") cannot be scored by the head trained on '" + task.name() + "' ("
            + task.kind().name().toLowerCase(Locale.ROOT) + ", labels " + task.labelNames() + ")"));
        return null;
      }
    }
    c.put("task", taskRef(task));
    if (on.first() > 0 || on.shuffle()) {
      c.put("first", on.first());
      c.put("shuffle", on.shuffle());
    }
    return new Training(on.label(), c, task);
  }

  private static Cell cell(int index, GridSpec spec, Axes a, Training training, List<TaskSpec> evalTasks, long seed,
      List<InvalidInputException> errors) {
    MethodEntry me = a.method();
    // a cell evaluated on its training task alone takes every override; one trained once for several
    // tasks takes the training settings of overrides that name no task (a task's override sets its evaluation)
    boolean single = evalTasks.size() == 1 && training.task() != null && evalTasks.get(0).name().equals(training.task().name());
    String trainTask = single ? training.task().name() : null;
    Map<String, Object> train = TrainSection.SECTION.layer(TrainSection.SECTION.defaults(), a.globalTrain(), "train", errors);
    for (int i = 0; i < spec.overrides().size(); i++) {
      GridOverride o = spec.overrides().get(i);
      if (o.train() == null) {
        continue;
      }
      boolean byTask = o.when().containsKey("task");
      if (!single && byTask && evalTasks.stream().anyMatch(t -> o.matches(a.model(), me.name(), t.name(), a.rank()))) {
        errors.add(new InvalidInputException(o.node().source(), o.node().line(), "overrides[" + i + "].train",
            "this grid trains once on " + training.label() + " for all its tasks, so training settings cannot depend on the task; "
                + "an override with when.task may set eval: only"));
      } else if (o.matches(a.model(), me.name(), byTask ? trainTask : null, a.rank())) {
        train = TrainSection.SECTION.layer(train, o.train(), "overrides[" + i + "].train", errors);
      }
    }
    train = TrainSection.SECTION.layer(train, a.methodTrain(), "methods." + me.name() + ".train", errors);
    Map<String, Object> config = new TreeMap<>();
    config.put("model", a.model());
    config.put("method", a.methodConfig());
    config.put("train_on", training.config());
    config.put("seed", seed);
    config.put("train", train);
    TrainSection ts = TrainSection.of(train);
    List<Map<String, Object>> evalConfigs = new ArrayList<>();
    for (TaskSpec t : evalTasks) {
      Map<String, Object> ev = evalSettings(spec, a, t.name(), errors);
      if (t.kind() != TaskKind.GENERATION && !EvalSection.of(ev).template().equals(EvalSection.TASK_TEMPLATE)) {
        errors.add(new InvalidInputException(spec.file().toString(), spec.line("eval"), "eval.template",
            "task '" + t.name() + "' is scored from a head's outputs, not from a prompt: its template cannot be chosen"));
      }
      evalConfigs.add(ev);
    }
    Map<String, Object> validation = validationSettings(spec, a, ts, training, errors);
    boolean evaluatesWhileTraining = ts.evalEvery() > 0 || ts.evalEachEpoch() || ts.select() != TrainSection.Select.LAST;
    if (ts.select() == TrainSection.Select.VALIDATION && (validation == null || ts.evalEvery() == 0 && !ts.evalEachEpoch())) {
      errors.add(new InvalidInputException(spec.file().toString(), spec.line("train"), "train.select",
          "select: validation chooses the best of the evaluations during training on held-out examples: it needs "
              + "validation_size > 0 and eval_each_epoch: true or eval_every > 0"));
    } else if (evaluatesWhileTraining && validation != null && ts.select() != TrainSection.Select.BEST) {
      // the evaluations during training read the held-out examples; what they choose is part of the training
      config.put("eval", validation);
    } else if (evaluatesWhileTraining && !single) {
      errors.add(new InvalidInputException(spec.file().toString(), spec.line("train"), "train",
          "eval_every, eval_each_epoch and select: best evaluate the reported split during training, which needs a cell that "
              + "trains on a task's split and evaluates that task alone; this cell trains on " + training.label() + " for "
              + evalTasks.stream().map(TaskSpec::name).toList() + " (with validation_size, they evaluate held-out examples instead)"));
    } else if (evaluatesWhileTraining) {
      // the evaluations during training choose what is reported, so they are part of the training
      config.put("eval", evalConfigs.get(0));
    }
    String json = CanonicalJson.of(config);
    String id = Hashes.sha256(json);
    List<Evaluation> evaluations = new ArrayList<>();
    if (validation != null) {
      evaluations.add(evaluation(0, id, training.task(), validation, ResultRow.VALIDATION));
    }
    for (int i = 0; i < evalTasks.size(); i++) {
      evaluations.add(evaluation(evaluations.size(), id, evalTasks.get(i), evalConfigs.get(i), null));
    }
    return new Cell(index, id, a.model(), me.name(), a.rank(), training.label(), seed, config, json, evaluations, a.sweep());
  }

  private static Evaluation evaluation(int index, String cellId, TaskSpec task, Map<String, Object> eval, String split) {
    Map<String, Object> ec = new TreeMap<>();
    ec.put("cell", cellId);
    ec.put("task", taskRef(task));
    ec.put("eval", eval);
    if (split != null) {
      ec.put(Evaluation.SPLIT, split);
    }
    String ej = CanonicalJson.of(ec);
    return new Evaluation(index, Hashes.sha256(ej), task.name(), ec, ej);
  }

  /**
   * The {@code eval:} settings of the held-out validation examples, or null when the cell holds
   * none out: the training task's, but never limited ({@code validation_size} is their number).
   */
  private static Map<String, Object> validationSettings(GridSpec spec, Axes a, TrainSection ts, Training training,
      List<InvalidInputException> errors) {
    if (ts.validationSize() == 0) {
      return null;
    }
    if (training.task() == null) {
      errors.add(new InvalidInputException(spec.file().toString(), spec.line("train"), "train.validation_size",
          "holds examples of a task's training file out for validation, and a task scores them; this cell trains on "
              + "training set " + training.label() + ", which has no scorer: train_on a task, or drop validation_size"));
      return null;
    }
    Map<String, Object> ev = new TreeMap<>(evalSettings(spec, a, training.task().name(), errors));
    ev.put(EvalSection.LIMIT.name(), 0);
    return ev;
  }

  /** One evaluation's {@code eval:} settings: the grid's, then the overrides matching it (task included), then the method entry's. */
  private static Map<String, Object> evalSettings(GridSpec spec, Axes a, String task, List<InvalidInputException> errors) {
    Map<String, Object> eval = EvalSection.SECTION.layer(EvalSection.SECTION.defaults(), spec.eval(), "eval", errors);
    for (int i = 0; i < spec.overrides().size(); i++) {
      GridOverride o = spec.overrides().get(i);
      if (o.matches(a.model(), a.method().name(), task, a.rank())) {
        eval = EvalSection.SECTION.layer(eval, o.eval(), "overrides[" + i + "].eval", errors);
      }
    }
    return EvalSection.SECTION.layer(eval, a.method().eval(), "methods." + a.method().name() + ".eval", errors);
  }

  private static void checkWhen(GridOverride o, int i, GridSpec spec, List<InvalidInputException> errors) {
    for (Map.Entry<String, String> c : o.when().entrySet()) {
      List<String> known;
      switch (c.getKey()) {
        case "model":
          known = spec.models();
          break;
        case "task":
          known = spec.tasks();
          break;
        case "method":
          known = spec.methods().stream().map(MethodEntry::name).distinct().toList();
          break;
        default:
          known = spec.methods().stream().flatMap(m -> m.ranks().stream()).map(Object::toString).distinct().toList();
      }
      if (!known.contains(c.getValue())) {
        errors.add(new InvalidInputException(o.node().source(), o.node().line(), "overrides[" + i + "].when." + c.getKey(),
            "'" + c.getValue() + "' matches no cell of this grid" + DidYouMean.suggest(c.getValue(), known)));
      }
    }
  }

  private static List<InvalidInputException> dedupe(List<InvalidInputException> errors) {
    Map<String, InvalidInputException> unique = new LinkedHashMap<>();
    errors.forEach(e -> unique.putIfAbsent(e.getMessage(), e));
    return new ArrayList<>(unique.values());
  }

  public GridSpec spec() {
    return spec;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path modelsDir() {
    return modelsDir;
  }

  public List<Cell> cells() {
    return cells;
  }

  /** Hash of the ordered cell and evaluation ids: equal fingerprints mean the same work at the same positions. */
  public String fingerprint() {
    StringBuilder sb = new StringBuilder();
    cells.forEach(c -> {
      sb.append(c.id());
      c.evaluations().forEach(e -> sb.append(' ').append(e.id()));
      sb.append('\n');
    });
    return Hashes.sha256(sb.toString()).substring(0, 16);
  }

  /** The plan as a results folder records it (plan.json). */
  public PlanManifest manifest() {
    return new PlanManifest(spec.name(), spec.file() == null ? "" : spec.file().toString(), fingerprint(),
        cells.stream().map(c -> new PlanManifest.Entry(c.index(), c.id(), c.label(),
            c.evaluations().stream().map(e -> new PlanManifest.EvaluationEntry(e.id(), e.task())).toList())).toList());
  }

  /** The published-number files the grid names ({@code baselines:}), resolved against the grid's folder. */
  public List<Path> baselineFiles() {
    return baselineFiles;
  }

  /** The folder of a model named in the grid, or null for the embedded {@code minilm}. */
  public Path modelPath(String model) {
    return modelPaths.get(Objects.requireNonNull(model));
  }
}
