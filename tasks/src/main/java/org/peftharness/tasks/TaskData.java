package org.peftharness.tasks;

import java.nio.file.Path;
import java.util.List;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.generate.SyntheticData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.read.ExampleReader;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskSpec;

/** Reads a task's examples from a data directory laid out as the task files name it. */
public final class TaskData {
  private TaskData() {}

  /**
   * All examples of one split, in file order ({@code Example.index()} is the position).
   * Generated tasks write their files first if they are missing or stale.
   *
   * @throws org.peftharness.core.InvalidInputException for a missing or malformed file
   */
  public static List<Example> examples(TaskSpec task, Path dataDir, Split split) {
    if (task.generator() != null) {
      SyntheticData.ensureGenerated(task, dataDir);
    }
    return read(task.reader(), dataDir.resolve(task.file(split)));
  }

  /**
   * Every record of {@code file}; a file without any (empty, blank lines only, a TSV header alone)
   * is an input error naming it, before anything downstream (a slice, a predictions file, an
   * average over no examples) reports the emptiness as its own fault.
   */
  public static List<Example> read(ExampleReader reader, Path file) {
    List<Example> examples = reader.read(file);
    if (examples.isEmpty()) {
      throw new InvalidInputException(file, null, "has no records (the file is empty or holds only a header)");
    }
    return examples;
  }

  /** The file a split is read from (for provenance: its SHA-256 goes into the cell record). */
  public static Path file(TaskSpec task, Path dataDir, Split split) {
    return dataDir.resolve(task.file(split));
  }
}
