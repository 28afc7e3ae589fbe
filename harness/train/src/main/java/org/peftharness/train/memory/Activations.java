package org.peftharness.train.memory;

import java.util.List;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.Role;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.graph.Activation;
import org.peftharness.model.graph.Blueprint;
import org.peftharness.model.graph.DecoderBlueprint;
import org.peftharness.model.graph.EncoderBlueprint;
import org.peftharness.model.graph.LinearSpec;

/**
 * The tensors a training step's forward pass leaves alive for the backward pass, counted from the
 * graph code, layer by layer: TensorFlow keeps a forward tensor exactly while a gradient op that
 * runs still needs it (the session prunes gradient ops no trainable variable needs).
 *
 * <p>Which tensor each gradient needs, from TensorFlow's C++ gradient functions (cc/gradients
 * math_grad.cc, nn_grad.cc, array_grad.cc): {@code MatMul} its other operand (the weight for the
 * input gradient, the input for the weight gradient); {@code BatchMatMul} both operands;
 * {@code Softmax} its output; {@code Mul} the other factor; {@code Tanh}, {@code Sigmoid},
 * {@code Rsqrt} their outputs; {@code Erf} and {@code Square} their inputs; {@code Add},
 * {@code Transpose}, {@code Reshape}, {@code Slice}, {@code Tile} and {@code Concat} only shapes.
 *
 * <p>Gradients flow through every layer (every method trains something in every layer), so the
 * tensors on the path to the input of each layer are kept in all methods; the input of a linear map
 * is kept only when a weight gradient reads it: its own weight (full fine-tuning) or the adapter's
 * {@code A} (LoRA, PiSSA, LoRA-GA, DoRA). LoRA-FA, LoRA-XS and LoRA-SB freeze {@code A}, so they
 * keep only {@code x Aᵀ} ({@code [N, r]}) for the gradient of {@code B} or {@code R}.
 *
 * <p>Under bf16 a product's operands are rounded to bfloat16 and its result widened back to
 * float32 (Nn.matMulT, Nn.batchMatMul: torch autocast's linear/bmm), so what a product's gradient
 * reads is the bfloat16 operand: the attention heads and, where a weight trains, a linear map's
 * input take 2 bytes ({@code low}); everything between products stays float32 ({@code fp32}),
 * adapters included (they multiply in float32, PEFT's autocast_adapter_dtype); and the softmax
 * output is kept twice, in float32 for its own gradient and as the bfloat16 operand of
 * {@code probs · v} ({@code bf16Only}).
 */
final class Activations {
  /**
   * Element counts of one estimate: {@code low} 2 bytes under bf16 and 4 under fp32, {@code fp32}
   * 4 bytes in both, {@code bf16Only} 2 bytes under bf16 and absent under fp32.
   */
  record Count(double low, double fp32, double bf16Only) {
    Count plus(Count o) {
      return new Count(low + o.low, fp32 + o.fp32, bf16Only + o.bf16Only);
    }

    long bytes(boolean bf16) {
      return (long) (low * (bf16 ? 2 : 4) + fp32 * 4 + (bf16 ? bf16Only * 2 : 0));
    }
  }

  private final ModelConfig config;
  private final MethodConfig<?> method;
  private final Blueprint blueprint;
  private final List<String> defaultTargets;
  private final boolean whole;
  private final boolean targetWeights;

  /**
   * @param targetWeights whether the gradients taken are those of the target maps' own weights (a
   *     gradient pre-pass, GradientPrePass) rather than the method's trainable variables
   */
  Activations(ModelConfig config, MethodConfig<?> method, boolean targetWeights) {
    this.config = config;
    this.method = method;
    this.blueprint = config.architecture().blueprint(config);
    this.defaultTargets = config.architecture().defaultTargets();
    this.whole = method.trainsWholeModel();
    this.targetWeights = targetWeights;
  }

  /** What one micro-batch of {@code batch x length} tokens keeps for the backward pass. */
  Count kept(int batch, int length) {
    if (blueprint instanceof EncoderBlueprint e) {
      return encoder(e, batch, length);
    }
    if (blueprint instanceof DecoderBlueprint d) {
      return decoder(d, batch, length);
    }
    throw new IllegalArgumentException("no memory model for " + blueprint.getClass().getSimpleName());
  }

  /**
   * The largest set of temporaries the backward pass holds at once on top of what is kept: the
   * gradient of the attention probabilities and SoftmaxGrad's product {@code dy * y}, both
   * {@code [B, heads, L, L]}; or the MLP's incoming gradient and the activation's derivative,
   * {@code [N, intermediate]} each; or, for a decoder, the loss's gradient, LogSoftmax's
   * {@code exp(logp)} and Slice's padded gradient, {@code [N, vocab]} each.
   */
  Count backwardWorkingSet(int batch, int length) {
    double n = (double) batch * length;
    double scores = (double) batch * config.numHeads() * length * length;
    double mlp = 2 * n * config.intermediateSize();
    double attention = 2 * scores;
    double loss = blueprint instanceof DecoderBlueprint ? 3 * n * config.vocabSize() : 0;
    double most = Math.max(mlp, Math.max(attention, loss));
    return new Count(0, most, 0);
  }

  private Count encoder(EncoderBlueprint b, int batch, int length) {
    double n = (double) batch * length;
    double h = config.hiddenSize();
    double f = config.intermediateSize();
    double scores = (double) batch * config.numHeads() * length * length;
    boolean hiddenDropout = config.hiddenDropout() > 0;
    boolean probsDropout = config.attentionDropout() > 0;
    Count total = new Count(0, 0, 0);
    if (whole) {
      // EncoderModel.build: the embeddings' LayerNorm (centred input; normed output for gamma's gradient) and dropout mask
      total = total.plus(new Count(0, (hiddenDropout ? n * h : 0) + 2 * n * h, 0));
    }
    for (EncoderBlueprint.Layer layer : b.layers()) {
      int i = layer.index();
      double low = 3 * n * config.qDim(); // Attention.split: transposed q, k, v, read by both BatchMatMul gradients
      double fp32 = scores * (probsDropout ? 3 : 1); // softmax output; with dropout its mask and the dropped probabilities
      fp32 += hiddenDropout ? 2 * n * h : 0; // the masks of the dropout after the attention output and after the FFN output
      fp32 += 2 * n * h * (whole ? 2 : 1); // Nn.layerNorm: the centred input (Square, Mul by rsqrt); normed output when gamma trains
      fp32 += 3 * n * f; // Nn.gelu: x (Mul), x/sqrt(2) (Erf's input), the cdf (Mul)
      Count inputs = inputs(n * h, needsInput(layer.query(), i) || needsInput(layer.key(), i) || needsInput(layer.value(), i))
          .plus(inputs(n * config.qDim(), needsInput(layer.attentionOutput(), i)))
          .plus(inputs(n * h, needsInput(layer.intermediate(), i)))
          .plus(inputs(n * f, needsInput(layer.output(), i)));
      total = total.plus(new Count(low, fp32, scores)).plus(inputs).plus(adapters(layer.linears(), i, n));
    }
    return total;
  }

  private Count decoder(DecoderBlueprint b, int batch, int length) {
    double n = (double) batch * length;
    double h = config.hiddenSize();
    double f = config.intermediateSize();
    double scores = (double) batch * config.numHeads() * length * length;
    Count total = new Count(0, 0, 0);
    for (DecoderBlueprint.Layer layer : b.layers()) {
      int i = layer.index();
      int norms = layer.norms().size();
      // every RMSNorm keeps its input (Square, and Mul by rsqrt); its normed output when its weight trains
      double fp32 = norms * n * h * (whole ? 2 : 1);
      fp32 += scores * (b.attentionSoftcap().isPresent() ? 2 : 1); // softmax output; Gemma-2's Tanh output of the soft cap
      fp32 += config.attentionDropout() > 0 ? 2 * scores : 0;
      // rotated q and the keys and values tiled to every query head (Attention.repeatKv), read by BatchMatMul's gradients
      double low = 3 * n * config.qDim();
      fp32 += activationKept(b.variant().mlpActivation()) * n * f;
      fp32 += 2 * n * f; // act(gate) and up, each read by the gradient of their product
      Count inputs = inputs(n * h, needsInput(layer.q(), i) || needsInput(layer.k(), i) || needsInput(layer.v(), i))
          .plus(inputs(n * config.qDim(), needsInput(layer.o(), i)))
          .plus(inputs(n * h, needsInput(layer.gate(), i) || needsInput(layer.up(), i)))
          .plus(inputs(n * f, needsInput(layer.down(), i)));
      total = total.plus(new Count(low, fp32, scores)).plus(inputs).plus(adapters(layer.linears(), i, n));
    }
    // the final norm's input (and normed output when it trains); the head's input when the head's weight trains
    total = total.plus(new Count(whole ? n * h : 0, n * h * (whole ? 2 : 1), 0));
    // CausalLmLoss: log-probabilities (LogSoftmax's gradient) and the one-hot labels (Mul's gradient), [B*(L-1), vocab];
    // Gemma-2's final soft cap keeps its Tanh output [B*L, vocab]
    double shifted = (double) batch * (length - 1) * config.vocabSize();
    double cap = b.finalSoftcap().isPresent() ? n * config.vocabSize() : 0;
    return total.plus(new Count(0, 2 * shifted + cap, 0));
  }

  /**
   * A linear map's input kept for a weight gradient: the bfloat16 operand of the map's own product
   * when its weight trains, the float32 input of the adapter's {@code x Aᵀ} otherwise.
   */
  private Count inputs(double elements, boolean kept) {
    if (!kept) {
      return new Count(0, 0, 0);
    }
    return whole ? new Count(elements, 0, 0) : new Count(0, elements, 0);
  }

  /** {@code [N, intermediate]} tensors the gate's nonlinearity keeps (Nn.silu, Nn.gelu, Nn.geluTanh). */
  private static int activationKept(Activation a) {
    if (a == Activation.SILU) {
      return 2; // x and sigmoid(x)
    }
    if (a == Activation.GELU) {
      return 3; // x, x/sqrt(2), the cdf
    }
    return 5; // x, x*x, tanh(inner), 0.5*x, 1 + tanh(inner)
  }

  /** Whether a weight gradient reads this map's input: the map's own weight trains, or its adapter's A does. */
  private boolean needsInput(LinearSpec spec, int layer) {
    if (whole) {
      return true;
    }
    LinearSite site = spec.site(layer);
    return method.adapts(site.module(), defaultTargets) && (targetWeights || method.method().trainableRoles().contains(Role.A));
  }

  /**
   * Per adapted map (LowRankSite.forward, DoraSite.build): {@code x Aᵀ} ({@code [N, r]}, read by
   * the gradient of B or R); with lora_dropout the dropout mask, and the dropped input when A
   * trains; DoRA's base and low-rank outputs ({@code [N, out]} each, read by the magnitude's
   * gradient).
   */
  private Count adapters(List<LinearSpec> linears, int layer, double n) {
    if (whole || method.trainsNothing() || targetWeights) {
      return new Count(0, 0, 0);
    }
    double dropout = method.adapterOptions().map(o -> o.dropout()).orElse(0.0);
    boolean trainsA = method.method().trainableRoles().contains(Role.A);
    double total = 0;
    for (LinearSpec spec : linears) {
      if (!method.adapts(spec.site(layer).module(), defaultTargets)) {
        continue;
      }
      total += n * method.rank();
      total += dropout > 0 ? n * spec.in() * (trainsA ? 2 : 1) : 0;
      total += method.name().equals(DoraMethod.NAME) ? 2 * n * spec.out() : 0;
    }
    return new Count(0, total, 0);
  }
}
