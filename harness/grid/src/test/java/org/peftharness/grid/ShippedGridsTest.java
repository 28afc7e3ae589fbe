package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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

  static GridPlan paperGrid(String name) throws IOException {
    Path grid = grids().filter(g -> g.getFileName().toString().equals(name)).findFirst().orElseThrow();
    return GridPlan.load(grid, null, null, TaskRegistry.builtin(), new RegistryMethodCatalog(), false);
  }

  @Test
  void theCommonsenseGridTrainsOncePerMethodAndSeedAndEvaluatesTheEightSets() throws IOException {
    GridPlan plan = paperGrid("paper-commonsense.yaml");
    assertThat(plan.cells()).extracting(Cell::method).containsExactly("none", "lora", "lora-xs", "lora-sb");
    assertThat(plan.cells()).allSatisfy(c -> {
      assertThat(c.trainOn()).isEqualTo("commonsense_170k shuffled");
      assertThat(c.evaluations()).extracting(Evaluation::task)
          .containsExactly("boolq", "piqa", "siqa", "hellaswag", "winogrande", "arc-e", "arc-c", "obqa");
    });
  }

  @Test
  void theArithmeticGridsTrainOnMetaMathQaAndEvaluateWithThePapersPrompts() throws IOException {
    GridPlan sb = paperGrid("paper-lora-sb-math.yaml");
    assertThat(sb.cells()).hasSize(2 * 4).allSatisfy(c -> {
      assertThat(c.trainOn()).isEqualTo("metamathqa[:50000]");
      assertThat(c.evaluations()).extracting(e -> e.task() + " " + EvalSection.of(evalOf(e)).template() + " "
          + EvalSection.of(evalOf(e)).maxNewTokens()).containsExactly("gsm8k alpaca-cot 256", "math alpaca-cot 512");
    });
    GridPlan ga = paperGrid("paper-lora-ga-gsm8k.yaml");
    assertThat(ga.cells()).allSatisfy(c -> assertThat(c.trainOn()).isEqualTo("metamathqa[:100000]"));
    assertThat(ga.cells().get(0).config().get("train_on")).isEqualTo(
        Map.of("set", "metamathqa", "version", 1, "first", 100000, "shuffle", false, "template", "loraga-metamath"));
    GridPlan pissa = paperGrid("paper-pissa-gsm8k.yaml");
    assertThat(pissa.cells()).hasSize(2 * 3);
    assertThat(pissa.baselineFiles()).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).isEqualTo("paper-pissa.yaml"));
  }

  /** svd-lorafa's experiment: every point of lr x rank x task x seed once from each init, on the four attention maps. */
  @Test
  void theSeedSvdGridsPairTheTwoInitsAtEveryPoint() throws IOException {
    GridPlan roberta = paperGrid("seed-svd-lorafa.yaml");
    assertThat(roberta.cells()).hasSize(4 * 3 * 3 * 3 * 2);
    GridPlan minilm = paperGrid("seed-svd-lorafa-minilm.yaml");
    assertThat(minilm.cells()).hasSize(2 * 3 * 3 * 2);
    for (GridPlan plan : List.of(roberta, minilm)) {
      assertThat(plan.cells()).allSatisfy(c -> assertThat(methodOf(c)).containsEntry("alpha", 1.0)
          .containsEntry("lorafa_optimizer", false)
          .containsEntry("target_modules", List.of("query", "key", "value", "attention.output.dense")));
      assertThat(plan.cells()).extracting(c -> c.sweep().get("init")).containsOnly("random", "seed-svd");
      assertThat(plan.cells().stream().filter(c -> "seed-svd".equals(methodOf(c).get("init")))).hasSize(plan.cells().size() / 2);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> methodOf(Cell c) {
    return (Map<String, Object>) c.config().get("method");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> evalOf(Evaluation e) {
    return (Map<String, Object>) e.config().get("eval");
  }
}
