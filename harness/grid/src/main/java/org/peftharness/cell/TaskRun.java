package org.peftharness.cell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.peftharness.grid.EvalSection;
import org.peftharness.tasks.prompt.PromptTemplate;
import org.peftharness.tasks.read.Example;
import org.peftharness.tasks.score.Prediction;
import org.peftharness.tasks.spec.TaskSpec;
import org.peftharness.train.Batch;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The model-kind specific half of a cell: how training examples become batches, what the loss is,
 * how predictions on any evaluated task are made.
 */
interface TaskRun {
  /** Tokenises the training examples, rendered with the training data's template. */
  void prepareTraining(List<Example> train, PromptTemplate template);

  /** SHA-256 over the rendered training prompts and targets (or texts and labels), in order, for provenance. */
  String trainingHash();

  int trainSize();

  Operand<TFloat32> loss();

  /** A training micro-batch of the given training examples. */
  Batch trainBatch(List<Integer> indices);

  int batchSize();

  default int batchesPerEpoch() {
    return (trainSize() + batchSize() - 1) / batchSize();
  }

  /** One epoch's micro-batches, the examples shuffled with the data-order stream. */
  default List<Batch> epoch(int epoch, SplittableRandom dataOrder) {
    List<Batch> out = new ArrayList<>();
    for (List<Integer> c : chunks(shuffled(trainSize(), dataOrder), batchSize())) {
      out.add(trainBatch(c));
    }
    return out;
  }

  /** Trainable variables of a task head (all of them for full fine-tuning; PEFT's modules_to_save otherwise: the classifier and any fresh head tensor). */
  Map<String, Variable<TFloat32>> headVariables(boolean fullFineTuning);

  /** Head tensors the checkpoint lacked, drawn fresh, by their transformers keys (for provenance). */
  List<String> freshHeadWeights();

  long headParameterCount();

  /**
   * Predictions for one task's evaluation examples, rendered with its evaluation template, every
   * raw output also written to {@code generations} when given.
   */
  Predicted predict(TaskSpec task, List<Example> eval, EvalSection settings, JsonLines generations);

  /** The predictions, and the SHA-256 over the evaluated prompts and gold answers (for provenance). */
  record Predicted(Prediction[] predictions, String promptHash) {}

  /** Batches of {@code size} examples in the given order. */
  static List<List<Integer>> chunks(List<Integer> order, int size) {
    List<List<Integer>> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i += size) {
      out.add(order.subList(i, Math.min(order.size(), i + size)));
    }
    return out;
  }

  /** 0..n-1, Fisher-Yates shuffled with {@code rng}, or in order when {@code rng} is null. */
  static List<Integer> shuffled(int n, SplittableRandom rng) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int i = n - 1; rng != null && i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Integer t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    return order;
  }
}
