package org.peftharness.train.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.ParameterAudit;
import org.peftharness.model.Precision;

/**
 * The peak memory of a cell's training step and of its evaluation, from config.json, the method and
 * the batch shape alone, so a grid can be planned before any weights are present. Each estimate is
 * a list of {@link MemoryTerm}s that say where the bytes come from in the harness's own graph
 * ({@link Activations} for what the forward pass keeps); docs/memory-plan.md holds the measured
 * check against TensorFlow's allocator.
 *
 * <p>Under {@link Precision#BF16} (see its definition) frozen base weights take 2 bytes; trained
 * weights, gradients and AdamW's moments 4. Activations stay float32 between products, which read
 * bfloat16 operands ({@link Activations}), so bf16 saves little of them. Full fine-tuning in bf16
 * keeps its float32 master weights and adds their bfloat16 copies, which the forward pass
 * multiplies with and the backward pass reads again.
 *
 * <p>No fixed runtime term: the allocator counts tensors only, and the tiny decoders' measured
 * steps come out below their estimates (docs/memory-plan.md), so nothing model-independent is left
 * to add.
 */
public final class MemoryEstimator {
  /**
   * Trainable-sized temporaries alive at the peak of the optimizer update, in units of the
   * trainable weights: the clipped gradients that AdamW's one {@code ApplyAdam} per tensor reads
   * (it updates m, v and the weight in place), as many at once as TensorFlow's executor
   * interleaves. Measured on MiniLM full fine-tuning at batch 1 x 16, where the update is the
   * step's peak: 0.6 and 0.8 in two runs (docs/memory-plan.md); 1.0 errs on the side of not fitting.
   */
  static final double UPDATE_WORKING_SET = 1.0;

  /** The names of the terms that depend on the micro-batch or the step's phase, not on the parameters alone. */
  public static final String ACTIVATIONS = "activations";
  public static final String BACKWARD = "backward working set";
  public static final String UPDATE = "optimizer update working set";

  /** One training configuration: the micro-batch is what a step holds; accumulation adds accumulators only. */
  public record Training(int microBatch, int length, int gradAccum, Precision precision) {
    public Training {
      if (microBatch < 1 || length < 2 || gradAccum < 1) {
        throw new IllegalArgumentException("micro-batch and accumulation must be >= 1, length >= 2");
      }
    }
  }

  private final ModelConfig config;
  private final MethodConfig<?> method;
  private final long modelParams;
  private final long trainable;
  private final Activations activations;

  /** @param trainable the cell's trainable parameters (ParameterAudit#totalTrainable: adapter and head) */
  public MemoryEstimator(ModelConfig config, MethodConfig<?> method, long trainable) {
    this.config = config;
    this.method = method;
    this.modelParams = ParameterAudit.modelParameters(config);
    this.trainable = trainable;
    this.activations = new Activations(config, method, false);
  }

  /** With the trainable count ParameterAudit gives for {@code labels} classes of an encoder's head. */
  public static MemoryEstimator of(String modelName, ModelConfig config, MethodConfig<?> method, int labels,
      boolean poolerInCheckpoint) {
    return new MemoryEstimator(config, method, ParameterAudit.of(modelName, config, method, labels, poolerInCheckpoint)
        .totalTrainable());
  }

  public MethodConfig<?> method() {
    return method;
  }

  /** The peak of one optimizer step; empty terms for a method that trains nothing. */
  public MemoryEstimate training(Training t) {
    List<MemoryTerm> terms = new ArrayList<>();
    if (method.trainsNothing()) {
      return new MemoryEstimate("training", terms);
    }
    boolean bf16 = t.precision() == Precision.BF16;
    boolean whole = method.trainsWholeModel();
    long frozen = whole ? 0 : modelParams;
    terms.add(new MemoryTerm("frozen weights", frozen * (bf16 ? 2 : 4),
        "the pretrained parameters as graph variables (GraphModel.param), " + (bf16 ? "bfloat16" : "float32")
            + "; PiSSA and LoRA-GA overwrite them with their residual in place"));
    terms.add(new MemoryTerm("trained weights", trainable * 4,
        "the trainable parameters in float32 (full fine-tuning: the master copy; else the adapter and the head)"));
    if (bf16 && whole) {
      terms.add(new MemoryTerm("bf16 weight copies", modelParams * 2,
          "full fine-tuning in bf16 multiplies with bfloat16 casts of its master weights, read again by the backward pass"));
    }
    terms.add(new MemoryTerm("optimizer states", trainable * 8, "AdamW's m and v beside every trainable tensor, float32 (AdamW slots)"));
    if (t.gradAccum() > 1) {
      terms.add(new MemoryTerm("gradient accumulators", trainable * 4,
          "grad_accum " + t.gradAccum() + ": one float32 accumulator per trainable tensor (Trainer grad_acc_i)"));
    }
    terms.add(new MemoryTerm("gradients", trainable * 4,
        "every gradient of a micro-batch exists at once: the update and the accumulation wait for all of them (AdamW gradients_ready)"));
    Activations.Count kept = activations.kept(t.microBatch(), t.length());
    Activations.Count work = activations.backwardWorkingSet(t.microBatch(), t.length());
    long keptBytes = kept.bytes(bf16);
    long backward = keptBytes + work.bytes(bf16);
    long update = (long) (UPDATE_WORKING_SET * trainable * 4);
    String shape = t.microBatch() + " x " + t.length() + " tokens";
    if (backward >= update) {
      terms.add(new MemoryTerm(ACTIVATIONS, keptBytes,
          "what the forward pass of " + shape + " keeps for the backward pass, layer by layer (Activations)"));
      terms.add(new MemoryTerm(BACKWARD, backward - keptBytes,
          "the backward pass's largest temporaries on top (attention probabilities' gradient, the MLP's, or the LM loss's);"
              + " larger than the optimizer update's " + ByteSize.format(update)));
    } else {
      terms.add(new MemoryTerm(UPDATE, update, String.format(Locale.ROOT,
          "the clipped gradients that AdamW's ApplyAdam reads (m, v and the weight update in place), %.1f x the trained weights at the"
              + " peak; larger than the backward pass's %s of activations", UPDATE_WORKING_SET, ByteSize.format(backward))));
    }
    return new MemoryEstimate("training", terms);
  }

  /**
   * The peak of evaluating the trained model: a forward pass of {@code batch x promptTokens} with no
   * backward pass, and for generation ({@code newTokens > 0}) the key/value cache of
   * {@code promptTokens + newTokens} positions.
   */
  public MemoryEstimate evaluation(Precision precision, int batch, int promptTokens, int newTokens) {
    boolean bf16 = precision == Precision.BF16;
    List<MemoryTerm> terms = new ArrayList<>();
    long adapter = method.trainsWholeModel() || method.trainsNothing() ? 0 : trainable;
    terms.add(new MemoryTerm("weights", modelParams * (bf16 ? 2 : 4) + adapter * 4,
        "the model's parameters" + (adapter > 0 ? " and the trained adapter (float32)" : "")));
    double n = (double) batch * promptTokens;
    double scores = (double) batch * config.numHeads() * promptTokens * promptTokens;
    // inference keeps nothing for a backward pass: one layer's temporaries at a time, the residual stream beside them
    double layer = Math.max(2 * scores, 3 * n * config.intermediateSize()) + 2 * n * config.hiddenSize();
    terms.add(new MemoryTerm("forward working set", (long) (layer * 4),
        "one layer's largest temporaries over " + batch + " x " + promptTokens + " tokens (scores and probabilities, or the MLP's)"));
    if (newTokens > 0) {
      long positions = (long) promptTokens + newTokens;
      long cache = (long) config.numLayers() * 2 * config.kvDim() * positions * batch * (bf16 ? 2 : 4);
      terms.add(new MemoryTerm("generation cache", 2 * cache, String.format(Locale.ROOT,
          "keys and values: %d layers x 2 x %d kv heads x %d head dim x %d positions x %d sequences, twice: each decoding"
              + " step feeds the past in and builds the present by concatenation (Attention.apply, GreedyGenerator)",
          config.numLayers(), config.numKvHeads(), config.headDim(), positions, batch)));
      terms.add(new MemoryTerm("logits", (long) batch * config.vocabSize() * 4, "the last position's logits per step"));
    }
    return new MemoryEstimate("evaluation", terms);
  }

  /**
   * The peak of a method's gradient pre-pass (LoRA-GA, LoRA-SB), empty for other methods:
   * GradientPrePass fetches the gradient of every target map's weight in one run, at the
   * estimation batch size, over the base model with zeroed adapters.
   */
  public Optional<MemoryEstimate> prePass(Precision precision, int length) {
    return method.gradientEstimation().flatMap(e -> prePass(precision, length, e.batchSize()));
  }

  /** As {@link #prePass(Precision, int)} at another estimation batch size. */
  public Optional<MemoryEstimate> prePass(Precision precision, int length, int batch) {
    if (method.gradientEstimation().isEmpty()) {
      return Optional.empty();
    }
    boolean bf16 = precision == Precision.BF16;
    long targets = 0;
    for (LinearSite s : config.architecture().linearSites(config)) {
      if (method.adapts(s.module(), config.architecture().defaultTargets())) {
        targets += s.outFeatures() * s.inFeatures();
      }
    }
    Activations targetGradients = new Activations(config, method, true);
    long kept = targetGradients.kept(batch, length).bytes(bf16);
    long work = targetGradients.backwardWorkingSet(batch, length).bytes(bf16);
    List<MemoryTerm> terms = List.of(
        new MemoryTerm("weights", modelParams * (bf16 ? 2 : 4) + trainable * 4, "the model and its (zeroed) adapter"),
        new MemoryTerm("target weight gradients", targets * (bf16 ? 2 : 4),
            "the gradient of every target map's weight, fetched together (GradientPrePass), in the weights' type"),
        new MemoryTerm(ACTIVATIONS, kept, "what the forward pass of " + batch + " x " + length
            + " tokens keeps for a backward pass that reads every target map's input"),
        new MemoryTerm(BACKWARD, work, "the backward pass's largest temporaries on top"));
    return Optional.of(new MemoryEstimate("gradient pre-pass", terms));
  }

  /**
   * The largest micro-batch below {@code t}'s whose step fits in {@code device} bytes, with the
   * accumulation raised so the effective batch stays at least as large; empty when even 1 does not fit.
   */
  public OptionalInt largestMicroBatch(Training t, long device) {
    for (int b = t.microBatch() - 1; b >= 1; b--) {
      int accum = (int) Math.ceil((double) t.microBatch() * t.gradAccum() / b);
      if (training(new Training(b, t.length(), accum, t.precision())).total() <= device) {
        return OptionalInt.of(b);
      }
    }
    return OptionalInt.empty();
  }
}
