package org.peftharness.results.provenance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftharness.results.Runner;

/**
 * The facts a cell's run observed, as {@code provenance.json} records them under {@code observed}.
 * A fact an older file does not have reads as null (text, times, groups), -1 (counts) or NaN
 * (measurements).
 *
 * @param device the device the training ran on: the GPU's name, or the CPU's model
 * @param tensorflowDevice the device TensorFlow ran the graphs on, as it names them ({@code GPU:0},
 *     {@code CPU:0}); null in files written before it was recorded
 * @param tensorflowBuild which TensorFlow native library ran them: {@code cpu}, or {@code gpu} for the
 *     CUDA build ({@code mvn -Pgpu}), which runs on the CPU where it finds no GPU; null in older files
 * @param system machine facts (what {@code SystemInfo.collect} gathers), each as text
 * @param freshHeadWeights the task head's tensors the checkpoint lacked, drawn fresh and trained (by
 *     their transformers keys, e.g. {@code bert.pooler.dense.weight}); empty for a causal LM
 * @param seeds the root seed and every seed derived from it, by stream name
 * @param gradientPrePass how an initialisation's gradient pre-pass ran (LoRA-GA, LoRA-SB): its
 *     mode, batches and examples; empty when the method has none or the file predates the record
 */
public record Observed(Software software, String device, String tensorflowDevice, String tensorflowBuild,
    Map<String, String> system, Runner runner, Inputs inputs, List<String> freshHeadWeights, Map<String, Long> seeds,
    Timing timing, Outcome outcome, Map<String, String> gradientPrePass) {

  public Observed {
    gradientPrePass = gradientPrePass == null ? Map.of() : Map.copyOf(new TreeMap<>(gradientPrePass));
  }

  /** The harness and TensorFlow that ran the cell. */
  public record Software(String harnessVersion, String gitCommit, boolean gitDirty, String tfJavaVersion,
      String tensorflowNative) {
    public static Software of(BuildInfo build) {
      return new Software(build.harnessVersion(), build.gitCommit(), build.gitDirty(), build.tensorflowJava(),
          build.tensorflowNative() + " (" + build.nativeClassifier() + ")");
    }
  }

  /**
   * What the cell read.
   *
   * @param datasets per split ("train", "eval"): file name to SHA-256
   * @param taskVersion the task definition's version, or -1
   * @param modelPath the model folder, or the embedded model's name
   * @param promptsTargetsSha256 the hash of every rendered prompt and target, in order
   */
  public record Inputs(Map<String, Map<String, String>> datasets, int taskVersion, String dataDir, String modelPath,
      String promptsTargetsSha256) {}

  /** When the cell ran and for how long (seconds). */
  public record Timing(Instant startedAt, Instant finishedAt, double wallSeconds, double trainSeconds) {}

  /** What training produced and cost. */
  public record Outcome(int trainSteps, double finalLoss, long peakRssBytes, long trainableParams, long totalParams,
      double tokensPerSecond) {}
}
