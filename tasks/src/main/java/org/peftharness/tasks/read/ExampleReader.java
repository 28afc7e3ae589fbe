package org.peftharness.tasks.read;

import java.nio.file.Path;
import java.util.List;

/** Reads every record of one dataset file in its original public format. */
public interface ExampleReader {
  /**
   * @throws org.peftharness.core.InvalidInputException naming file, line and field for any
   *     malformed record; nothing is skipped silently
   */
  List<Example> read(Path file);

  /**
   * The files actually read for {@code file}: itself, or the originals a split is rebuilt from
   * (MRPC train). The grid checks they exist before running and hashes them for provenance.
   */
  default List<Path> sources(Path file) {
    return List.of(file);
  }
}
