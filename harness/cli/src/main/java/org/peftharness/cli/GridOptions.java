package org.peftharness.cli;

import java.nio.file.Path;
import org.peftharness.core.InvalidInputException;
import org.peftharness.grid.GridPlan;
import org.peftharness.grid.RegistryMethodCatalog;
import org.peftharness.grid.RunArguments;
import org.peftharness.tasks.spec.TaskRegistry;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command that reads a grid shares. */
final class GridOptions {
  @Option(names = "--grid", paramLabel = "GRID.yaml", description = "The grid file.")
  Path gridOption;

  @Parameters(index = "0", arity = "0..1", paramLabel = "GRID.yaml", description = "The grid file (or --grid).")
  Path gridArgument;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the tasks' files are (default: the grid's data_dir, else ./data).")
  Path dataDir;

  @Option(names = "--models-dir", paramLabel = "DIR", description = "Where model folders are (default: the grid's models_dir, else the grid's folder).")
  Path modelsDir;

  Path grid() {
    Path g = gridOption != null ? gridOption : gridArgument;
    if (g == null) {
      throw new InvalidInputException("arguments", 0, null, "name a grid file: --grid GRID.yaml");
    }
    return g;
  }

  /** {@code --out}, else {@code runs/<grid name>} in the current folder. */
  static Path resultsDir(Path out, GridPlan plan) {
    return out != null ? out : Path.of("runs", plan.spec().name());
  }

  /** How a child process, array task or pod runs cells of this grid into {@code resultsDir}. */
  RunArguments runArguments(Path resultsDir, GridPlan plan, boolean retryFailed) {
    return new RunArguments(grid(), resultsDir, dataDir, modelsDir, plan.fingerprint(), retryFailed);
  }

  GridPlan plan(boolean checkFiles) {
    return GridPlan.load(grid(), dataDir, modelsDir, TaskRegistry.builtin(), new RegistryMethodCatalog(), checkFiles);
  }
}
