package org.peftharness.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsWriter;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.DecoderModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Time of one greedy decoding step (a new token for each of {@code batch} sequences) after
 * {@code length} tokens, on a random Llama of about 21 M parameters (hidden 512, 4 layers, vocab
 * 8000): with the key/value cache ({@code cached}: one new token against the cache) and without
 * ({@code recompute}: the whole sequence again, as generation without a cache does). Generated
 * tokens per second are {@code batch / step time}; with the cache the per-token cost should stay
 * flat as {@code length} grows.
 */
public class GenerationBenchmark extends BenchmarkProtocol {
  @Param({"1", "4", "16"})
  public int batch;

  @Param({"32", "128", "512"})
  public int length;

  @Param({"cached", "recompute"})
  public String mode;

  Path dir;
  PretrainedModel pm;
  DecoderModel<TFloat32> model;
  Result cache;
  int[][] nextIds;
  int[][] fullIds;
  int[][] fullMask;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("gen-bench");
    writeRandomLlama(dir);
    pm = PretrainedModel.open(dir.toString());
    model = (DecoderModel<TFloat32>) pm.buildGraph(TFloat32.class, LinearFactory.PLAIN);
    SplittableRandom rng = new SplittableRandom(1);
    int[][] prompt = new int[batch][length];
    int[][] mask = new int[batch][length];
    fullIds = new int[batch][length + 1];
    fullMask = new int[batch][length + 1];
    nextIds = new int[batch][1];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        prompt[b][t] = 4 + rng.nextInt(7000);
      }
      Arrays.fill(mask[b], 1);
      Arrays.fill(fullMask[b], 1);
      System.arraycopy(prompt[b], 0, fullIds[b], 0, length);
      nextIds[b][0] = 4 + rng.nextInt(7000);
      fullIds[b][length] = nextIds[b][0];
    }
    if (mode.equals("cached")) {
      try (TInt32 i = HostTensors.ints(prompt); TInt32 m = HostTensors.ints(mask)) {
        Session.Runner r = model.session().runner().feed(model.inputIds(), i).feed(model.attentionMask(), m);
        model.presentKeys().forEach(r::fetch);
        model.presentValues().forEach(r::fetch);
        cache = r.run();
      }
    }
  }

  @Benchmark
  public void decodeStep() {
    int layers = model.config().numLayers();
    if (mode.equals("cached")) {
      try (TInt32 i = HostTensors.ints(nextIds); TInt32 m = HostTensors.ints(fullMask)) {
        Session.Runner r = model.session().runner().feed(model.inputIds(), i).feed(model.attentionMask(), m);
        for (int l = 0; l < layers; l++) {
          r.feed(model.pastKeys().get(l), cache.get(l));
          r.feed(model.pastValues().get(l), cache.get(layers + l));
        }
        r.fetch(model.lastLogits());
        model.presentKeys().forEach(r::fetch);
        model.presentValues().forEach(r::fetch);
        r.run().close();
      }
    } else {
      try (TInt32 i = HostTensors.ints(fullIds); TInt32 m = HostTensors.ints(fullMask)) {
        model.session().runner().feed(model.inputIds(), i).feed(model.attentionMask(), m).fetch(model.lastLogits()).run().close();
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (cache != null) {
      cache.close();
    }
    model.close();
    pm.close();
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static void writeRandomLlama(Path dir) throws IOException {
    int h = 512;
    int inter = 1376;
    int layers = 4;
    int vocab = 8000;
    SplittableRandom rng = new SplittableRandom(7);
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("model.embed_tokens.weight", random(rng, 0.02, vocab, h));
    for (int i = 0; i < layers; i++) {
      String p = "model.layers." + i + ".";
      w.put(p + "input_layernorm.weight", ones(h));
      w.put(p + "post_attention_layernorm.weight", ones(h));
      for (String m : new String[] {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"}) {
        w.put(p + m + ".weight", random(rng, 0.02, h, h));
      }
      w.put(p + "mlp.gate_proj.weight", random(rng, 0.02, inter, h));
      w.put(p + "mlp.up_proj.weight", random(rng, 0.02, inter, h));
      w.put(p + "mlp.down_proj.weight", random(rng, 0.02, h, inter));
    }
    w.put("model.norm.weight", ones(h));
    w.put("lm_head.weight", random(rng, 0.02, vocab, h));
    Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"llama\",\"hidden_size\":" + h + ",\"intermediate_size\":" + inter
        + ",\"num_hidden_layers\":" + layers + ",\"num_attention_heads\":8,\"num_key_value_heads\":8,\"vocab_size\":" + vocab
        + ",\"rms_norm_eps\":1e-5,\"max_position_embeddings\":2048,\"hidden_act\":\"silu\",\"tie_word_embeddings\":false,"
        + "\"bos_token_id\":1,\"eos_token_id\":2,\"pad_token_id\":0}");
    SafetensorsWriter.write(dir.resolve("model.safetensors"), w, Map.of("format", "pt"));
  }

  static FloatTensor random(SplittableRandom rng, double std, long... shape) {
    float[] v = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rng.nextGaussian() * std);
    }
    return new FloatTensor(shape, v);
  }

  static FloatTensor ones(long n) {
    float[] v = new float[(int) n];
    Arrays.fill(v, 1f);
    return new FloatTensor(new long[] {n}, v);
  }
}
