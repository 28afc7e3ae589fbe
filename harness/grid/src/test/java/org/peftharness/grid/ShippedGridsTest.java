package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.tasks.spec.TaskRegistry;

/**
 * Every grid under {@code grids/} validates as users run {@code harness validate G --no-files}:
 * the paper grids must stay runnable wherever their models and data are, so an edit to a method,
 * an architecture or a task that breaks one fails here, not on a cluster.
 */
class ShippedGridsTest {
  static Stream<Path> grids() throws IOException {
    Path dir = Path.of(System.getProperty("harness.root", "../..")).resolve("grids");
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("grids")
  void validatesWithoutDataOrWeights(Path grid) throws IOException {
    // the smoke-test grids' models are the independent fixtures beside the checkout
    assumeTrue(!Files.readAllLines(grid).contains("models_dir: ../../shared/fixtures")
        || Files.isDirectory(grid.getParent().resolve("../../shared/fixtures")), "the fixtures are not beside the checkout");
    GridPlan plan = GridPlan.load(grid, null, null, TaskRegistry.builtin(), new RegistryMethodCatalog(), false);
    assertThat(plan.cells()).as(grid.toString()).isNotEmpty();
  }
}
