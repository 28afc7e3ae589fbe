package org.peftharness.tasks.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.testing.SharedFiles;

/** Every real file in ../shared/data parses with the record counts of its MANIFEST.md. */
class RealDataTest {
  private static final TaskRegistry REGISTRY = TaskRegistry.builtin();

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("gsm8k", Split.TRAIN, "gsm8k/train.jsonl", 7473),
        Arguments.of("gsm8k", Split.EVAL, "gsm8k/test.jsonl", 1319),
        Arguments.of("math", Split.EVAL, "math/test5000/test.jsonl", 5000),
        Arguments.of("math500", Split.EVAL, "math/math500/test.jsonl", 500),
        Arguments.of("boolq", Split.EVAL, "commonsense/boolq/test.json", 3270),
        Arguments.of("piqa", Split.EVAL, "commonsense/piqa/test.json", 1838),
        Arguments.of("siqa", Split.EVAL, "commonsense/social_i_qa/test.json", 1954),
        Arguments.of("winogrande", Split.EVAL, "commonsense/winogrande/test.json", 1267),
        Arguments.of("arc-e", Split.EVAL, "commonsense/ARC-Easy/test.json", 2376),
        Arguments.of("arc-c", Split.EVAL, "commonsense/ARC-Challenge/test.json", 1172),
        Arguments.of("obqa", Split.EVAL, "commonsense/openbookqa/test.json", 500),
        Arguments.of("cola", Split.EVAL, "glue/CoLA/dev.tsv", 1043),
        Arguments.of("cola", Split.TRAIN, "glue/CoLA/train.tsv", 8551),
        Arguments.of("sst2", Split.EVAL, "glue/SST-2/dev.tsv", 872),
        Arguments.of("sst2", Split.TRAIN, "glue/SST-2/train.tsv", 67349),
        Arguments.of("mrpc", Split.EVAL, "glue/MRPC/dev.tsv", 408),
        Arguments.of("stsb", Split.EVAL, "glue/STS-B/dev.tsv", 1500),
        Arguments.of("stsb", Split.TRAIN, "glue/STS-B/train.tsv", 5749),
        Arguments.of("qnli", Split.EVAL, "glue/QNLI/dev.tsv", 5463),
        Arguments.of("rte", Split.EVAL, "glue/RTE/dev.tsv", 277),
        Arguments.of("rte", Split.TRAIN, "glue/RTE/train.tsv", 2490));
  }

  @ParameterizedTest(name = "{0} {2}: {3} records")
  @MethodSource("files")
  void parsesWithManifestCount(String task, Split split, String file, int expected) {
    SharedFiles.data(file);
    TaskSpec spec = REGISTRY.get(task);
    assertThat(spec.file(split)).isEqualTo(file);
    List<Example> ex = TaskData.examples(spec, dataDir(), split);
    assertThat(ex).hasSize(expected);
    for (int i = 0; i < ex.size(); i++) {
      assertThat(ex.get(i).index()).isEqualTo(i);
    }
  }

  static Stream<Arguments> labelCounts() {
    return Stream.of(
        Arguments.of("cola", "glue/CoLA/dev.tsv", Map.of(1, 721, 0, 322)),
        Arguments.of("sst2", "glue/SST-2/dev.tsv", Map.of(1, 444, 0, 428)),
        Arguments.of("mrpc", "glue/MRPC/dev.tsv", Map.of(1, 279, 0, 129)),
        Arguments.of("qnli", "glue/QNLI/dev.tsv", Map.of(0, 2702, 1, 2761)),
        Arguments.of("rte", "glue/RTE/dev.tsv", Map.of(0, 146, 1, 131)));
  }

  @ParameterizedTest(name = "{0} dev label counts {2}")
  @MethodSource("labelCounts")
  void labelDistributionsMatchTheManifest(String task, String file, Map<Integer, Integer> expected) {
    SharedFiles.data(file);
    Map<Integer, Integer> counts = new TreeMap<>();
    for (Example e : TaskData.examples(REGISTRY.get(task), dataDir(), Split.EVAL)) {
      counts.merge(e.gold().label(), 1, Integer::sum);
    }
    assertThat(counts).isEqualTo(new TreeMap<>(expected));
  }

  @Test
  void mrpcTrainIsRebuiltFromTheOriginalFiles() {
    SharedFiles.data("glue/MRPC/msr_paraphrase_train.txt");
    SharedFiles.data("glue/MRPC/dev_ids.tsv");
    List<Example> train = TaskData.examples(REGISTRY.get("mrpc"), dataDir(), Split.TRAIN);
    assertThat(train).hasSize(3668);
    // the pair the one public train.tsv copy lacks (MANIFEST.md, "Not here" 4) is present
    assertThat(train).anySatisfy(e -> assertThat(e.line()).isPositive());
    assertThat(train.get(0).inputs()).containsKeys("text", "text_pair");
  }

  @Test
  void llmAdaptersMathTrainingFileParses() {
    Path f = SharedFiles.data("llm_adapters_train/math_data.json");
    List<Example> ex = new LlmAdaptersReader(java.util.Set.of()).read(f);
    assertThat(ex).hasSize(3260);
    assertThat(ex.get(0).target()).contains("The answer is");
    assertThat(ex.get(1).line()).isGreaterThan(ex.get(0).line());
  }

  @Test
  void mathLayoutsGiveTheSameGoldForSharedProblems() {
    SharedFiles.data("math/math500/test.jsonl");
    List<Example> m500 = TaskData.examples(REGISTRY.get("math500"), dataDir(), Split.EVAL);
    assertThat(m500.get(0).inputs()).containsKey("problem");
    assertThat(m500).allSatisfy(e -> assertThat(e.gold().answer()).isNotNull());
  }

  static Path dataDir() {
    return SharedFiles.root().resolve("data");
  }
}
