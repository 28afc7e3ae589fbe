package org.peftharness.cell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.grid.CellProgress;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.GraphModel;
import org.peftharness.tasks.TaskData;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.spec.Split;
import org.peftharness.tasks.spec.TaskRegistry;
import org.peftharness.tasks.spec.TaskSpec;
import org.tensorflow.types.TFloat32;

/**
 * The gradient pre-pass runs in training mode, as LoRA-GA's and LoRA-SB's references do: on
 * MiniLM (hidden and attention dropout 0.1) the estimated gradients depend on the pre-pass's
 * dropout stream and on nothing else that varies, and are the same for the same seed.
 */
class GradientPrePassTest {
  @TempDir Path dir;

  /** LoRA-GA's estimate (its first examples in order, no shuffle) with the pre-pass drawing masks from {@code prePassSeed}. */
  private Map<String, FloatTensor> estimate(long prePassSeed, Map<String, String> record) {
    TaskSpec task = TaskRegistry.builtin().get("synthetic-sentiment");
    List<Example> train = TaskData.examples(task, dir.resolve("data"), Split.TRAIN).subList(0, 8);
    MethodConfig<?> o = MethodConfig.fromMap(Map.of("method", "lora-ga", "rank", 2, "alpha", 4, "estimation_samples", 4,
        "estimation_batch_size", 2), "test");
    try (PretrainedModel pm = PretrainedModel.open(PretrainedModel.MINILM)) {
      AdapterFactory f = AdapterFactory.create(o, pm.config().architecture().defaultTargets(), new AdapterDropoutOps());
      try (GraphModel<TFloat32> graph = pm.buildGraph(TFloat32.class, f)) {
        // the head is drawn from a fixed seed so that only the pre-pass's own stream varies
        EncoderTaskRun run = new EncoderTaskRun(graph, pm, task, AdapterImportTest.settings(16, 4), new SeedStreams(1));
        run.prepareTraining(train, task.prompt().train());
        GradientPrePass pass = new GradientPrePass(graph, f, run, o.gradientEstimation().orElseThrow(), new SeedStreams(prePassSeed));
        Map<String, FloatTensor> g = new LinkedHashMap<>(pass.run(CellProgress.NONE));
        record.putAll(pass.record());
        return g;
      }
    }
  }

  @Test
  void dropoutIsActiveWithItsOwnSeededMasks() {
    Map<String, String> record = new LinkedHashMap<>();
    Map<String, FloatTensor> a = estimate(7, record);
    Map<String, FloatTensor> again = estimate(7, new LinkedHashMap<>());
    Map<String, FloatTensor> other = estimate(8, new LinkedHashMap<>());
    assertThat(a).isNotEmpty();
    String module = a.keySet().iterator().next();
    assertThat(again.get(module).data()).isEqualTo(a.get(module).data());
    // were dropout off (evaluation mode), another seed could not change the gradient of the same examples
    assertThat(other.get(module).data()).isNotEqualTo(a.get(module).data());
    assertThat(record).containsEntry("mode", "train").containsEntry("batches", "2").containsEntry("examples", "4")
        .containsEntry("order", "first examples in order").containsEntry("dropout_stream", GradientPrePass.DROPOUT_STREAM);
    assertThat(Integer.parseInt(record.get("dropout_sites"))).isPositive();
  }
}
