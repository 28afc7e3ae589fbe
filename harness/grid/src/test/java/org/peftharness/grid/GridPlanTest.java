package org.peftharness.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.core.InvalidInputException;
import org.peftharness.tasks.spec.TaskRegistry;

class GridPlanTest {
  @TempDir Path dir;

  static final String GOOD = String.join("\n",
      "name: demo",
      "models: [minilm]",
      "methods:",
      "  - full",
      "  - {name: lora, ranks: [4, 8], alpha: 16}",
      "tasks: [synthetic-sentiment]",
      "seeds: [1, 2]",
      "train:",
      "  lr: 1e-3",
      "  batch_size: 16",
      "overrides:",
      "  - when: {method: full}",
      "    train: {lr: 5e-5}",
      "");

  GridPlan plan(String yaml) throws IOException {
    Path f = dir.resolve("grid.yaml");
    Files.writeString(f, yaml);
    return GridPlan.load(f, dir.resolve("data"), null, TaskRegistry.builtin(), new FakeMethods());
  }

  @Test
  void expandsModelsMethodsRanksTasksSeedsInOrderWithResolvedSettings() throws IOException {
    List<Cell> cells = plan(GOOD).cells();
    assertThat(cells).extracting(Cell::label).containsExactly(
        "minilm/full/synthetic-sentiment/seed 1", "minilm/full/synthetic-sentiment/seed 2",
        "minilm/lora r4/synthetic-sentiment/seed 1", "minilm/lora r4/synthetic-sentiment/seed 2",
        "minilm/lora r8/synthetic-sentiment/seed 1", "minilm/lora r8/synthetic-sentiment/seed 2");
    assertThat(cells).extracting(Cell::index).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(cells.get(0).canonicalJson()).contains("\"lr\":5.0E-5").contains("\"batch_size\":16");
    assertThat(cells.get(2).canonicalJson()).contains("\"lr\":0.001").contains("\"alpha\":16.0").contains("\"rank\":4");
    assertThat(cells).extracting(Cell::id).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{64}"));
  }

  @Test
  void cellIdsDependOnTheConfigurationNotOnTheFileAroundIt() throws IOException {
    String id = plan(GOOD).cells().get(2).id();
    String reordered = GOOD.replace("name: demo", "name: other\ndescription: same cells, other file")
        .replace("  lr: 1e-3\n  batch_size: 16", "  batch_size: 16\n  lr: 0.001")
        .replace("seeds: [1, 2]", "seeds: [2, 1]");
    assertThat(plan(reordered).cells()).extracting(Cell::id).contains(id);
    String changed = GOOD.replace("lr: 1e-3", "lr: 2e-3");
    assertThat(plan(changed).cells()).extracting(Cell::id).doesNotContain(id);
  }

  @Test
  void aSweepIsAnAxisLikeRanksAndEveryPointIsAnOrdinaryContentAddressedCell() throws IOException {
    String sweep = String.join("\n",
        "models: [minilm]",
        "methods:",
        "  - full",
        "  - {name: lora, ranks: [4], alpha: [8, 16], train: {warmup_ratio: [0.0, 0.1]}}",
        "tasks: [synthetic-sentiment]",
        "seeds: [1]",
        "train: {lr: [1e-4, 1e-3], batch_size: 16}",
        "");
    List<Cell> cells = plan(sweep).cells();
    assertThat(cells).extracting(Cell::label).containsExactly(
        "minilm/full lr=1e-4/synthetic-sentiment/seed 1",
        "minilm/full lr=1e-3/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=8 lr=1e-4 warmup_ratio=0.0/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=8 lr=1e-4 warmup_ratio=0.1/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=8 lr=1e-3 warmup_ratio=0.0/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=8 lr=1e-3 warmup_ratio=0.1/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=16 lr=1e-4 warmup_ratio=0.0/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=16 lr=1e-4 warmup_ratio=0.1/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=16 lr=1e-3 warmup_ratio=0.0/synthetic-sentiment/seed 1",
        "minilm/lora r4 alpha=16 lr=1e-3 warmup_ratio=0.1/synthetic-sentiment/seed 1");
    assertThat(cells).extracting(Cell::id).doesNotHaveDuplicates();
    assertThat(cells.get(7).canonicalJson()).contains("\"alpha\":16.0").contains("\"lr\":1.0E-4").contains("\"warmup_ratio\":0.1")
        .contains("\"batch_size\":16");
    // the point lr=1e-3 of the sweep is the very cell a grid with lr: 1e-3 alone makes
    String single = sweep.replace("lr: [1e-4, 1e-3]", "lr: 1e-3");
    assertThat(plan(single).cells().get(0).id()).isEqualTo(cells.get(1).id());
    assertThat(plan(single).cells().get(0).sweep()).isEmpty();
    assertThatThrownBy(() -> plan(sweep.replace("lr: [1e-4, 1e-3]", "lr: []"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("train.lr: an empty list sweeps nothing");
    assertThatThrownBy(() -> plan(sweep.replace("lr: [1e-4, 1e-3]", "lr: [1e-4, fast]"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("train.lr: expected a number, got 'fast'");
  }

  @Test
  void validationSizeHoldsExamplesOutAsAValidationEvaluationThatIsNeverLimited() throws IOException {
    String held = GOOD.replace("  batch_size: 16", "  batch_size: 16\n  validation_size: 8\neval: {limit: 4}");
    List<Cell> cells = plan(held).cells();
    Cell c = cells.get(2);
    assertThat(c.evaluations()).hasSize(2);
    Evaluation v = c.validation();
    assertThat(v.index()).isZero();
    assertThat(v.isValidation()).isTrue();
    assertThat(v.split()).isEqualTo("validation");
    assertThat(v.label()).isEqualTo("synthetic-sentiment (validation)");
    assertThat(v.canonicalJson()).contains("\"limit\":0").contains("\"split\":\"validation\"");
    assertThat(c.reported()).singleElement().satisfies(e -> {
      assertThat(e.isValidation()).isFalse();
      assertThat(e.canonicalJson()).contains("\"limit\":4").doesNotContain("split");
    });
    assertThat(c.trainsOnItsOnlyTask()).isTrue();
    assertThat(c.canonicalJson()).contains("\"validation_size\":8");
    // a grid that holds nothing out keeps its cells' ids: the setting is hashed only when set
    assertThat(plan(GOOD).cells()).extracting(Cell::id).doesNotContain(c.id());
    assertThat(plan(GOOD).cells().get(2).canonicalJson()).doesNotContain("validation_size");
  }

  @Test
  void selectValidationEvaluatesTheHeldOutExamplesDuringTrainingAndRecordsHowItChose() throws IOException {
    String held = GOOD.replace("  batch_size: 16",
        "  batch_size: 16\n  validation_size: 8\n  eval_each_epoch: true\n  select: validation");
    Cell c = plan(held).cells().get(2);
    assertThat(c.selection()).isEqualTo("validation");
    // the evaluations during training are part of the training, and they read the validation's settings
    assertThat(c.config().get("eval")).isEqualTo(c.validation().config().get("eval"));
    assertThat(plan(GOOD).cells().get(2).selection()).isEqualTo("last");
  }

  @Test
  void selectValidationNeedsHeldOutExamplesAndEvaluationsDuringTraining() {
    assertThatThrownBy(() -> plan(GOOD.replace("  batch_size: 16", "  batch_size: 16\n  eval_each_epoch: true\n  select: validation")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("train.select: select: validation chooses the best of the evaluations during training on held-out "
            + "examples: it needs validation_size > 0 and eval_each_epoch: true or eval_every > 0");
    assertThatThrownBy(() -> plan(GOOD.replace("  batch_size: 16", "  batch_size: 16\n  validation_size: 8\n  select: validation")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("it needs validation_size > 0 and eval_each_epoch");
  }

  static Stream<Arguments> badGrids() {
    return Stream.of(
        Arguments.of("unknown top-level key", GOOD.replace("seeds:", "seed:"), "grid.yaml:7: seed: unknown key; did you mean 'seeds'"),
        Arguments.of("missing axis", GOOD.replace("tasks: [synthetic-sentiment]\n", ""), "tasks: required key is missing"),
        Arguments.of("unknown task", GOOD.replace("synthetic-sentiment", "sst-2"), "tasks: unknown task 'sst-2'"),
        Arguments.of("unknown method", GOOD.replace("  - full", "  - ful"), "grid.yaml:4: methods: unknown method 'ful'; did you mean 'full'"),
        Arguments.of("unknown model", GOOD.replace("[minilm]", "[mini-lm]"), "model 'mini-lm' is neither 'minilm' nor a folder"),
        Arguments.of("unknown train key", GOOD.replace("  lr: 1e-3", "  learning_rate: 1e-3"), "grid.yaml:9: train.learning_rate: unknown train setting"),
        Arguments.of("wrong type", GOOD.replace("batch_size: 16", "batch_size: sixteen"), "grid.yaml:10: train.batch_size: expected an integer, got 'sixteen'"),
        Arguments.of("out of range", GOOD.replace("batch_size: 16", "batch_size: 0"), "train.batch_size: 0 is out of range: must be >= 1"),
        Arguments.of("bad choice", GOOD.replace("  lr: 1e-3", "  schedule: exponential"), "train.schedule: 'exponential' is not one of constant, linear, cosine"),
        Arguments.of("rank missing", GOOD.replace("{name: lora, ranks: [4, 8], alpha: 16}", "{name: lora}"), "lora needs ranks"),
        Arguments.of("rank too large", GOOD.replace("ranks: [4, 8]", "ranks: [4, 4096]"), "methods.lora.ranks: rank 4096 exceeds"),
        Arguments.of("bad seed", GOOD.replace("seeds: [1, 2]", "seeds: [1, two]"), "grid.yaml:7: seeds[1]: a seed is an integer"),
        Arguments.of("override matches nothing", GOOD.replace("when: {method: full}", "when: {method: lora-xs}"), "overrides[0].when.method: 'lora-xs' matches no cell"),
        Arguments.of("not YAML", "models: [minilm\nmethods: x", "not valid YAML"),
        Arguments.of("a top-level key twice", GOOD + "train:\n  lr: 2e-3\n", "grid.yaml:14: train: given twice (first at line 8)"),
        Arguments.of("a method key twice", GOOD.replace("ranks: [4, 8]", "ranks: [4, 8], ranks: [2]"),
            "grid.yaml:5: methods[1].ranks: given twice (first at line 5)"),
        Arguments.of("a name that is a path", GOOD.replace("name: demo", "name: ../../escape"),
            "grid.yaml:1: name: '../../escape' is not a plain name"),
        Arguments.of("a name that is an absolute path", GOOD.replace("name: demo", "name: /tmp/x"), "name: '/tmp/x' is not a plain name"),
        Arguments.of("a hidden name", GOOD.replace("name: demo", "name: .hidden"), "name: '.hidden' is not a plain name"),
        Arguments.of("an alias bomb under an unknown key", GOOD + "x:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            + IntStream.rangeClosed(1, 15).mapToObj(i -> "  a" + i + ": &a" + i + " [*a" + (i - 1) + ", *a" + (i - 1) + ", *a" + (i - 1) + "]\n")
                .collect(Collectors.joining()), "more than 100000 values once aliases are expanded"),
        Arguments.of("a file of more than 1 MiB", GOOD + "#" + "x".repeat(1 << 20) + "\n", "a grid file is at most 1 MiB"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badGrids")
  void badGridsNameFileLineAndField(String name, String yaml, String expected) {
    assertThatThrownBy(() -> plan(yaml)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(dir.resolve("grid.yaml").toString())
        .hasMessageContaining(expected);
  }

  @Test
  void allErrorsAreReportedAtOnce() {
    String bad = GOOD.replace("seeds:", "seed:").replace("batch_size: 16", "batch_size: x").replace("  - full", "  - ful");
    assertThatThrownBy(() -> plan(bad)).isInstanceOf(InvalidInputException.Many.class)
        .satisfies(e -> assertThat(((InvalidInputException.Many) e).all()).hasSizeGreaterThanOrEqualTo(3));
  }

  @Test
  void missingDataFilesAreNamed() {
    String sst2 = GOOD.replace("synthetic-sentiment", "sst2");
    assertThatThrownBy(() -> plan(sst2)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("task 'sst2' needs " + dir.resolve("data").resolve("glue/SST-2/train.tsv"));
  }

  @Test
  void aGenerationTaskOnAnEncoderIsRefusedAtValidation() {
    String gsm8kOnMiniLm = GOOD.replace("synthetic-sentiment", "gsm8k");
    assertThatThrownBy(() -> GridPlan.load(write(gsm8kOnMiniLm), dir.resolve("data"), null, TaskRegistry.builtin(),
        new FakeMethods(), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(dir.resolve("grid.yaml") + ":6: tasks: task 'gsm8k' is a generation task, which model 'minilm'")
        .hasMessageContaining("needs a model_type of gemma, gemma2, llama, mistral, qwen2");
  }

  @Test
  void aClassificationTaskOnADecoderIsRefusedAtValidation() throws IOException {
    decoder("llama", "");
    String sentimentOnLlama = GOOD.replace("[minilm]", "[tiny]");
    assertThatThrownBy(() -> GridPlan.load(write(sentimentOnLlama), dir.resolve("data"), dir, TaskRegistry.builtin(),
        new FakeMethods(), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(":6: tasks: task 'synthetic-sentiment' is a classification task, which model 'tiny' (llama, causal lm head)")
        .hasMessageContaining("needs a model_type of bert, roberta, xlm-roberta");
  }

  @Test
  void aSlidingWindowShorterThanMaxLengthIsAcceptedSinceTheGraphMasksIt() throws IOException {
    decoder("mistral", ",\n  \"sliding_window\": 64");
    String arith = GOOD.replace("[minilm]", "[tiny]").replace("synthetic-sentiment", "synthetic-arith");
    assertThat(GridPlan.load(write(arith.replace("  lr: 1e-3", "  max_length: 96")), dir.resolve("data"), dir,
        TaskRegistry.builtin(), new FakeMethods(), false).cells()).hasSize(6);
  }

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("grid.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  /** A config-only decoder folder {@code tiny/} (validation without weights). */
  private Path decoder(String type, String extra) throws IOException {
    Path config = Files.createDirectories(dir.resolve("tiny")).resolve("config.json");
    Files.writeString(config, String.join("\n",
        "{",
        "  \"model_type\": \"" + type + "\",",
        "  \"hidden_size\": 64,",
        "  \"intermediate_size\": 128,",
        "  \"num_hidden_layers\": 2,",
        "  \"num_attention_heads\": 4,",
        "  \"num_key_value_heads\": 2,",
        "  \"vocab_size\": 101,",
        "  \"max_position_embeddings\": 128,",
        "  \"bos_token_id\": 1,",
        "  \"eos_token_id\": 2" + extra,
        "}", ""));
    return config;
  }
}
