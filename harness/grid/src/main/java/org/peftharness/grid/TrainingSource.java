package org.peftharness.grid;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.tasks.training.TrainingSet;
import org.peftharness.tasks.training.TrainingSetRegistry;
import org.peftharness.tasks.training.TrainingSlice;
import org.peftharness.tasks.training.ValidationHoldout;

/**
 * A cell's training data, resolved from its configuration's {@code train_on} entry: a task's
 * training split, or a named training set with the papers' slice and a prompt template.
 *
 * @param task the task whose training split is read, or null for a training set
 * @param set the training set, or null for a task
 * @param first the {@code train[:N]} slice; 0 = all
 * @param shuffle whether the records are shuffled (stream {@link #SHUFFLE_STREAM}) before the slice
 * @param template the template training examples are rendered with (decoders)
 */
public record TrainingSource(TaskSpec task, TrainingSet set, int first, boolean shuffle, PromptTemplate template) {
  /** The seed stream that orders a shuffled training set before its slice is taken. */
  public static final String SHUFFLE_STREAM = "training_set";

  @SuppressWarnings("unchecked")
  public static TrainingSource of(Map<String, Object> cellConfig, TaskRegistry tasks) {
    Map<String, Object> on = (Map<String, Object>) cellConfig.get("train_on");
    int first = on.get("first") == null ? 0 : ((Number) on.get("first")).intValue();
    boolean shuffle = Boolean.TRUE.equals(on.get("shuffle"));
    if (on.containsKey("set")) {
      TrainingSet set = TrainingSetRegistry.builtin().get((String) on.get("set"));
      return new TrainingSource(null, set, first, shuffle, set.template((String) on.get("template"), "cell configuration", 0));
    }
    TaskSpec task = tasks.get((String) ((Map<String, Object>) on.get("task")).get("name"));
    return new TrainingSource(task, null, first, shuffle, task.prompt().train());
  }

  /** How rows and labels name a cell's training data (as {@link TrainOn#label} does), from the cell's configuration. */
  @SuppressWarnings("unchecked")
  public static String label(Map<String, Object> cellConfig) {
    Map<String, Object> on = (Map<String, Object>) cellConfig.get("train_on");
    String name = on.containsKey("set") ? (String) on.get("set") : (String) ((Map<String, Object>) on.get("task")).get("name");
    int first = on.get("first") == null ? 0 : ((Number) on.get("first")).intValue();
    return new TrainOn(name, first, Boolean.TRUE.equals(on.get("shuffle")), null, null).label();
  }

  /** How messages name it: {@code task 'gsm8k'} or {@code training set 'metamathqa'}. */
  public String describe() {
    return task != null ? "task '" + task.name() + "'" : "training set '" + set.name() + "'";
  }

  /** Whether the files are written by the project on first use (a generated task) rather than given. */
  public boolean generated() {
    return task != null && task.generator() != null;
  }

  /** The files read (for checks before a run and for provenance). */
  public List<Path> files(Path dataDir) {
    if (task != null) {
      return task.reader().sources(TaskData.file(task, dataDir, Split.TRAIN));
    }
    return set.reader().sources(set.path(dataDir));
  }

  /** The training examples in the order the slice takes them: the file's, or shuffled with the cell's stream. */
  public List<Example> examples(Path dataDir, SeedStreams seeds) {
    return read(dataDir, seeds, 0).train();
  }

  /**
   * What the cell trains on and, when {@code validationSize > 0} (a task only: the plan refuses it
   * for a training set), the validation examples held out of the task's training file first; the
   * slice is then taken from the rest.
   *
   * @param holdout null when nothing is held out
   */
  public record Read(List<Example> train, ValidationHoldout holdout) {}

  public Read read(Path dataDir, SeedStreams seeds, int validationSize) {
    List<Example> all = task != null ? TaskData.examples(task, dataDir, Split.TRAIN) : TaskData.read(set.reader(), set.path(dataDir));
    ValidationHoldout holdout = validationSize > 0 ? holdout(all, dataDir, validationSize) : null;
    List<Example> rest = holdout != null ? holdout.train() : all;
    try {
      return new Read(TrainingSlice.select(rest, first, shuffle ? seeds.random(SHUFFLE_STREAM) : null), holdout);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file(dataDir), null, "train_on.first is " + first + ", but " + describe() + " has "
          + rest.size() + " records" + (holdout != null ? " besides the " + validationSize + " held out for validation" : ""));
    }
  }

  /** The validation examples a cell with {@code train.validation_size} holds out (to evaluate them after a restore). */
  public ValidationHoldout validation(Path dataDir, int validationSize) {
    return holdout(TaskData.examples(task, dataDir, Split.TRAIN), dataDir, validationSize);
  }

  private ValidationHoldout holdout(List<Example> all, Path dataDir, int size) {
    if (task == null) {
      throw new IllegalStateException("validation examples are held out of a task's training file only");
    }
    try {
      return ValidationHoldout.of(task.name(), all, size);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file(dataDir), null, "train.validation_size is " + size + ", but " + describe()
          + " has " + all.size() + " training records: some must be left to train on");
    }
  }

  private Path file(Path dataDir) {
    return task != null ? TaskData.file(task, dataDir, Split.TRAIN) : set.path(dataDir);
  }
}
