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
import org.peftharness.model.Architecture;
import org.peftharness.model.ArchitectureRegistry;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.PretrainedModel;
import org.peftharness.results.Hashes;
import org.peftharness.results.PlanManifest;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;

/**
 * A validated, expanded grid: every error in the file found in one pass (unknown tasks, models,
 * methods, missing data files, bad settings, ranks the model cannot take), then the cells in a
 * fixed order: models x methods x ranks x tasks x seeds.
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
   * @param dataDirOverride {@code --data-dir}, or null for the grid's {@code data_dir} (relative to
   *     the grid file) or else {@code ./data}
   * @param modelsDirOverride {@code --models-dir}, or null for the grid's {@code models_dir} or
   *     else the grid file's folder
   */
  /** Reads, validates and expands a grid file; see {@link #build}. */
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
        TaskSpec ts = tasks.get(t);
        taskSpecs.put(t, ts);
        if (checkFiles && ts.generator() == null) {
          for (Split split : List.of(Split.TRAIN, Split.EVAL)) {
            Path f = dataDir.resolve(ts.file(split));
            for (Path source : ts.reader().sources(f)) {
              if (!Files.isRegularFile(source)) {
                errors.add(new InvalidInputException(file, spec.line("tasks"), "tasks", "task '" + t + "' needs " + source
                    + " (" + split.name().toLowerCase(Locale.ROOT) + " split); give --data-dir or put the file there"));
              }
            }
          }
        }
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

    Map<String, Object> train = TrainSection.SECTION.layer(TrainSection.SECTION.defaults(), spec.train(), "train", errors);
    Map<String, Object> eval = EvalSection.SECTION.layer(EvalSection.SECTION.defaults(), spec.eval(), "eval", errors);
    for (int i = 0; i < spec.overrides().size(); i++) {
      GridOverride o = spec.overrides().get(i);
      TrainSection.SECTION.layer(train, o.train(), "overrides[" + i + "].train", errors);
      EvalSection.SECTION.layer(eval, o.eval(), "overrides[" + i + "].eval", errors);
      checkWhen(o, i, spec, errors);
    }
    for (MethodEntry me : spec.methods()) {
      TrainSection.SECTION.layer(train, me.train(), "methods." + me.name() + ".train", errors);
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
        List<Integer> ranks = me.ranks().isEmpty() ? Collections.singletonList(null) : me.ranks();
        for (Integer rank : ranks) {
          Map<String, Object> methodConfig;
          try {
            methodConfig = new TreeMap<>(methods.resolve(me, rank, models.get(model)));
          } catch (InvalidInputException e) {
            errors.add(e);
            continue;
          }
          methodConfig.putIfAbsent("method", me.name());
          for (String task : spec.tasks()) {
            if (!taskSpecs.containsKey(task)) {
              continue;
            }
            for (long seed : spec.seeds()) {
              cells.add(cell(cells.size(), spec, model, me, rank, taskSpecs.get(task), seed, methodConfig, errors));
            }
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      throw errors.size() == 1 ? errors.get(0) : new InvalidInputException.Many(dedupe(errors));
    }
    return new GridPlan(spec, dataDir, modelsDir, List.copyOf(cells), modelPaths, List.copyOf(baselineFiles));
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

  private static Cell cell(int index, GridSpec spec, String model, MethodEntry me, Integer rank, TaskSpec task, long seed,
      Map<String, Object> methodConfig, List<InvalidInputException> errors) {
    Map<String, Object> train = TrainSection.SECTION.layer(TrainSection.SECTION.defaults(), spec.train(), "train", errors);
    Map<String, Object> eval = EvalSection.SECTION.layer(EvalSection.SECTION.defaults(), spec.eval(), "eval", errors);
    for (int i = 0; i < spec.overrides().size(); i++) {
      GridOverride o = spec.overrides().get(i);
      if (o.matches(model, me.name(), task.name(), rank)) {
        train = TrainSection.SECTION.layer(train, o.train(), "overrides[" + i + "].train", errors);
        eval = EvalSection.SECTION.layer(eval, o.eval(), "overrides[" + i + "].eval", errors);
      }
    }
    train = TrainSection.SECTION.layer(train, me.train(), "methods." + me.name() + ".train", errors);
    eval = EvalSection.SECTION.layer(eval, me.eval(), "methods." + me.name() + ".eval", errors);
    Map<String, Object> config = new TreeMap<>();
    config.put("model", model);
    config.put("method", methodConfig);
    config.put("task", Map.of("name", task.name(), "version", task.version()));
    config.put("seed", seed);
    config.put("train", train);
    config.put("eval", eval);
    String json = CanonicalJson.of(config);
    return new Cell(index, Hashes.sha256(json), model, me.name(), rank, task.name(), seed, config, json);
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

  /** Hash of the ordered cell ids: equal fingerprints mean the same cells at the same positions. */
  public String fingerprint() {
    StringBuilder sb = new StringBuilder();
    cells.forEach(c -> sb.append(c.id()).append('\n'));
    return Hashes.sha256(sb.toString()).substring(0, 16);
  }

  /** The plan as a results folder records it (plan.json). */
  public PlanManifest manifest() {
    return new PlanManifest(spec.name(), spec.file() == null ? "" : spec.file().toString(), fingerprint(),
        cells.stream().map(c -> new PlanManifest.Entry(c.index(), c.id(), c.label())).toList());
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
