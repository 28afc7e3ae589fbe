package org.peftharness.train.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftharness.core.json.JsonDocument;
import org.peftharness.methods.MethodConfig;
import org.peftharness.model.ModelConfig;
import org.peftharness.model.Precision;

/**
 * The estimator's arithmetic on a Llama small enough to count by hand: hidden 8, one layer, two
 * query heads sharing one key/value head (head dim 4), intermediate 12, vocabulary 10, an untied
 * head; a micro-batch of 2 x 3 tokens (N = 6). Parameters: embedding 80, q 64, k 32, v 32, o 64,
 * gate 96, up 96, down 96, two layer norms 16, final norm 8, head 80: 664.
 */
class MemoryEstimatorTest {
  static final ModelConfig TINY = ModelConfig.from(JsonDocument.parse("tiny", """
      {"model_type": "llama", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
       "num_key_value_heads": 1, "intermediate_size": 12, "vocab_size": 10, "hidden_act": "silu",
       "max_position_embeddings": 64, "rms_norm_eps": 1e-6, "tie_word_embeddings": false}
      """));

  static MethodConfig<?> method(String name, Integer rank) {
    return rank == null ? MethodConfig.fromMap(Map.of("method", name), "test")
        : MethodConfig.fromMap(Map.of("method", name, "rank", rank), "test");
  }

  @Test
  void loraStepTermByTerm() {
    // LoRA r2 on all seven projections: r(m+n) = 32 + 24 + 24 + 32 + 40 + 40 + 40 = 232 trainable
    MemoryEstimator e = MemoryEstimator.of("tiny", TINY, method("lora", 2), 0, true);
    MemoryEstimate t = e.training(new MemoryEstimator.Training(2, 3, 1, Precision.FP32));
    assertThat(t.bytes("frozen weights")).isEqualTo(664 * 4);
    assertThat(t.bytes("trained weights")).isEqualTo(232 * 4);
    assertThat(t.bytes("optimizer states")).isEqualTo(232 * 8);
    assertThat(t.bytes("gradients")).isEqualTo(232 * 4);
    assertThat(t.bytes("gradient accumulators")).isZero();
    // kept, fp32: two norm inputs 2*6*8 = 96, softmax 2*2*3*3 = 36, final norm input 48, log-probs and one-hot 2*(2*2*10) = 80;
    // matmul: q, k, v heads 3*6*8 = 144, silu's x and sigmoid 144, act(gate) and up 144, inputs of q/k/v, o, gate/up 3*48,
    // down's input 72, x A^T of seven maps 7*6*2 = 84: 732. (96 + 36 + 48 + 80 + 732) * 4 bytes
    assertThat(t.bytes(MemoryEstimator.ACTIVATIONS)).isEqualTo((96 + 36 + 48 + 80 + 732) * 4);
    // the loss's working set 3 * N * vocab = 180 beats the MLP's 2*6*12 = 144 and attention's 2*36 = 72
    assertThat(t.bytes(MemoryEstimator.BACKWARD)).isEqualTo(180 * 4);
    assertThat(t.bytes(MemoryEstimator.UPDATE)).isZero();
    assertThat(t.total()).isEqualTo(11056);
  }

  @Test
  void gradientAccumulationAddsOneAccumulatorPerTrainableTensor() {
    MemoryEstimator e = MemoryEstimator.of("tiny", TINY, method("lora", 2), 0, true);
    MemoryEstimate t = e.training(new MemoryEstimator.Training(2, 3, 4, Precision.FP32));
    assertThat(t.bytes("gradient accumulators")).isEqualTo(232 * 4);
    assertThat(t.total()).isEqualTo(11056 + 232 * 4);
  }

  @Test
  void fullFineTuningInBf16KeepsFloat32MastersAndStates() {
    MemoryEstimator e = MemoryEstimator.of("tiny", TINY, method("full", null), 0, true);
    MemoryEstimate t = e.training(new MemoryEstimator.Training(2, 3, 1, Precision.BF16));
    assertThat(t.bytes("frozen weights")).isZero();
    assertThat(t.bytes("trained weights")).isEqualTo(664 * 4);
    assertThat(t.bytes("bf16 weight copies")).isEqualTo(664 * 2);
    assertThat(t.bytes("optimizer states")).isEqualTo(664 * 8);
    assertThat(t.bytes("gradients")).isEqualTo(664 * 4);
    // the backward pass beats the update's 1.0 x 664 x 4 = 2656: kept are the bfloat16 operands (q, k, v heads 144,
    // the inputs of q/k/v, o, gate/up 3*48 and down 72, the head's 48) 408 * 2, float32 (norm inputs and outputs 192,
    // softmax 36, silu's two 144, act(gate) and up 144, final norm 96, loss 80) 692 * 4 and the softmax's bfloat16
    // copy 36 * 2: 3656; on top, the loss's working set 180 * 4 = 720
    assertThat(t.bytes(MemoryEstimator.ACTIVATIONS)).isEqualTo(3656);
    assertThat(t.bytes(MemoryEstimator.BACKWARD)).isEqualTo(720);
    assertThat(t.bytes(MemoryEstimator.UPDATE)).isZero();
    assertThat(t.total()).isEqualTo(2656 + 1328 + 5312 + 2656 + 3656 + 720);
  }

  @Test
  void aShortBatchOfFullFineTuningPeaksInTheUpdate() {
    MemoryEstimator e = MemoryEstimator.of("tiny", TINY, method("full", null), 0, true);
    // 2 tokens instead of 6: every activation above and the loss's working set shrink to a third (about 1459)
    MemoryEstimate t = e.training(new MemoryEstimator.Training(1, 2, 1, Precision.BF16));
    assertThat(t.bytes(MemoryEstimator.UPDATE)).isEqualTo(664 * 4);
    assertThat(t.bytes(MemoryEstimator.ACTIVATIONS)).isZero();
    assertThat(t.bytes(MemoryEstimator.BACKWARD)).isZero();
    assertThat(t.total()).isEqualTo(2656 + 1328 + 5312 + 2656 + 2656);
  }

  @Test
  void generationCountsTheCacheTwiceAndOneLayersTemporaries() {
    MemoryEstimator e = MemoryEstimator.of("tiny", TINY, method("lora", 2), 0, true);
    MemoryEstimate ev = e.evaluation(Precision.FP32, 2, 3, 5);
    assertThat(ev.bytes("weights")).isEqualTo((664 + 232) * 4);
    // max(2 * 36, 3 * 6 * 12) + 2 * 6 * 8 = 312 floats
    assertThat(ev.bytes("forward working set")).isEqualTo(312 * 4);
    // 1 layer x 2 x kv dim 4 x 8 positions x 2 sequences x 4 bytes = 512, fed past and built present
    assertThat(ev.bytes("generation cache")).isEqualTo(1024);
    assertThat(ev.bytes("logits")).isEqualTo(2 * 10 * 4);
    assertThat(ev.total()).isEqualTo(5936);
  }

  @Test
  void largestMicroBatchThatFitsKeepsTheEffectiveBatch() {
    MemoryEstimator e = MemoryEstimator.of("tiny", TINY, method("lora", 2), 0, true);
    MemoryEstimator.Training t = new MemoryEstimator.Training(8, 3, 1, Precision.FP32);
    long two = e.training(new MemoryEstimator.Training(2, 3, 4, Precision.FP32)).total();
    long three = e.training(new MemoryEstimator.Training(3, 3, 3, Precision.FP32)).total();
    assertThat(e.largestMicroBatch(t, two)).hasValue(2);
    assertThat(e.largestMicroBatch(t, three)).hasValue(3);
    assertThat(e.largestMicroBatch(t, 1000)).isEmpty();
  }
}
