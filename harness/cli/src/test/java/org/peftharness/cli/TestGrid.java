package org.peftharness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A four-cell grid of small MiniLM runs (about 10 s a cell here) for tests of how cells are run. */
final class TestGrid {
  private TestGrid() {}

  static Path write(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path g = dir.resolve(name + ".yaml");
    Files.writeString(g, String.join("\n",
        "name: " + name,
        "models: [minilm]",
        "tasks: [synthetic-sentiment]",
        "seeds: [1, 2]",
        "data_dir: data",
        "methods:",
        "  - {name: lora, ranks: [4], alpha: 8}",
        "  - {name: lora-xs, ranks: [4]}",
        "train: {lr: 1.0e-3, batch_size: 8, max_length: 24, limit_train: 48}",
        "eval: {limit: 32}", ""));
    return g;
  }
}
