package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.params.TrainableParameters;
import org.peftharness.testing.SharedFiles;

/** Trainable counts against cases.json and docs/METHODS.md §10. */
class TrainableParametersTest {

  @Test
  void perMatrixCountsMatchCasesJson() throws Exception {
    JsonNode all = new ObjectMapper().readTree(SharedFiles.fixture("method-init/cases.json").toFile());
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode c = e.getValue();
      long m = c.get("m").asLong();
      long n = c.get("n").asLong();
      int r = c.get("rank").asInt();
      for (Iterator<Map.Entry<String, JsonNode>> jt = c.get("trainable_per_matrix").fields(); jt.hasNext();) {
        Map.Entry<String, JsonNode> t = jt.next();
        MethodConfig<?> method = TestConfigs.of(t.getKey(), rankOptions(t.getKey(), r));
        assertThat(method.trainablePerMatrix(m, n, false)).as(e.getKey() + " " + t.getKey())
            .isEqualTo(t.getValue().asLong());
        checked++;
      }
    }
    assertThat(checked).isEqualTo(14);
  }

  /** The rank (and for methods that fix alpha, nothing else) as options, where the method takes a rank. */
  private static Object[] rankOptions(String method, int r) {
    return MethodRegistry.builtin().get(method).takesOption("rank") ? new Object[] {"rank", r} : new Object[0];
  }

  @Test
  void formulasAsText() {
    assertThat(MethodRegistry.builtin().get("lora").trainableFormula()).isEqualTo("r(m+n)");
    assertThat(MethodRegistry.builtin().get("pissa").trainableFormula()).isEqualTo("r(m+n)");
    assertThat(MethodRegistry.builtin().get("lora-ga").trainableFormula()).isEqualTo("r(m+n)");
    assertThat(MethodRegistry.builtin().get("lora-fa").trainableFormula()).isEqualTo("r*m");
    assertThat(MethodRegistry.builtin().get("lora-xs").trainableFormula()).isEqualTo("r^2");
    assertThat(MethodRegistry.builtin().get("lora-sb").trainableFormula()).isEqualTo("r^2");
    assertThat(MethodRegistry.builtin().get("dora").trainableFormula()).isEqualTo("r(m+n)+m");
    assertThat(MethodConfig.defaults("dora").trainablePerMatrix(24, 16, true)).isEqualTo(8 * (24 + 16) + 24);
    assertThat(MethodRegistry.builtin().get("full").trainableFormula()).isEqualTo("m*n (+ m bias)");
    assertThat(MethodConfig.defaults("full").trainablePerMatrix(24, 16, true)).isEqualTo(24 * 16 + 24);
  }

  /** Decoder linear sites: q/k/v/o and the SwiGLU MLP, module paths as in HF Llama/Mistral/Gemma. */
  static List<LinearSite> decoder(int layers, long h, long ffn, long q, long kv) {
    List<LinearSite> s = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      String p = "model.layers." + i + ".";
      s.add(new LinearSite(p + "self_attn.q_proj", i, "q_proj", q, h));
      s.add(new LinearSite(p + "self_attn.k_proj", i, "k_proj", kv, h));
      s.add(new LinearSite(p + "self_attn.v_proj", i, "v_proj", kv, h));
      s.add(new LinearSite(p + "self_attn.o_proj", i, "o_proj", h, q));
      s.add(new LinearSite(p + "mlp.gate_proj", i, "gate_proj", ffn, h));
      s.add(new LinearSite(p + "mlp.up_proj", i, "up_proj", ffn, h));
      s.add(new LinearSite(p + "mlp.down_proj", i, "down_proj", h, ffn));
    }
    return s;
  }

  /** Encoder linear sites, including the untargeted key and intermediate.dense. */
  static List<LinearSite> encoder(int layers, long h, long ffn) {
    List<LinearSite> s = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      s.add(new LinearSite(p + "attention.self.query", i, "query", h, h));
      s.add(new LinearSite(p + "attention.self.key", i, "key", h, h));
      s.add(new LinearSite(p + "attention.self.value", i, "value", h, h));
      s.add(new LinearSite(p + "attention.output.dense", i, "dense", h, h));
      s.add(new LinearSite(p + "intermediate.dense", i, "dense", ffn, h));
      s.add(new LinearSite(p + "output.dense", i, "dense", h, ffn));
    }
    return s;
  }

  static List<LinearSite> model(String name) {
    switch (name) {
      case "Mistral-7B": return decoder(32, 4096, 14336, 32 * 128, 8 * 128);
      case "Gemma-2-9B": return decoder(42, 3584, 14336, 16 * 256, 8 * 256);
      case "Gemma-7B": return decoder(28, 3072, 24576, 16 * 256, 16 * 256);
      case "Llama-3.2-3B": return decoder(28, 3072, 8192, 24 * 128, 8 * 128);
      case "RoBERTa-large": return encoder(24, 1024, 4096);
      default: throw new IllegalArgumentException(name);
    }
  }

  private static long count(String method, int r, String model) {
    List<String> targets = model.startsWith("RoBERTa") ? TestTargets.ENCODER : TestTargets.DECODER;
    MethodConfig<?> o = TestConfigs.of(method, "rank", r, "alpha", r);
    return TrainableParameters.count(o, targets, model(model), s -> false);
  }

  /** docs/METHODS.md §10 (LoRA-FA -1 where the table has no entry). */
  @ParameterizedTest
  @CsvSource({
      "Mistral-7B, 32, 83886080, 44040192, 229376",
      "Mistral-7B, 64, 167772160, 88080384, 917504",
      "Mistral-7B, 96, 251658240, 132120576, 2064384",
      "Gemma-2-9B, 32, 108036096, 59179008, 301056",
      "Gemma-2-9B, 64, 216072192, 118358016, 1204224",
      "Gemma-2-9B, 96, 324108288, 177537024, 2709504",
      "Gemma-7B, 32, 100007936, 60555264, 200704",
      "Gemma-7B, 96, 300023808, 181665792, 1806336",
      "Llama-3.2-3B, 32, 48627712, 24772608, 200704",
      "Llama-3.2-3B, 64, 97255424, 49545216, 802816",
      "Llama-3.2-3B, 96, 145883136, 74317824, 1806336",
      "RoBERTa-large, 8, 2162688, -1, 6144",
      "RoBERTa-large, 16, 4325376, -1, 24576",
      "RoBERTa-large, 24, 6488064, -1, 55296"})
  void section10Table(String model, int r, long lora, long loraFa, long latent) {
    for (String m : new String[] {"lora", "pissa", "lora-ga"}) {
      assertThat(count(m, r, model)).as(m + " " + model + " r=" + r).isEqualTo(lora);
    }
    assertThat(count("lora", r, model)).isEqualTo(lora);
    MethodConfig<?> rs = TestConfigs.of("lora", "rank", r, "use_rslora", true);
    assertThat(TrainableParameters.count(rs, model.startsWith("RoBERTa") ? TestTargets.ENCODER : TestTargets.DECODER,
        model(model), s -> false)).as("rsLoRA").isEqualTo(lora);
    if (loraFa >= 0) {
      assertThat(count("lora-fa", r, model)).as("lora-fa").isEqualTo(loraFa);
    }
    assertThat(count("lora-xs", r, model)).as("lora-xs").isEqualTo(latent);
    assertThat(count("lora-sb", r, model)).as("lora-sb").isEqualTo(latent);
  }

  /**
   * DoRA trains LoRA's r(m+n) and one magnitude per output feature of each targeted matrix (PEFT
   * dora.py update_layer: a vector of out_features): the DoRA column of docs/METHODS.md §10 for the
   * decoders; RoBERTa-large (no entry there) adds 24·4·1024 = 98,304 to LoRA's count.
   */
  @ParameterizedTest
  @CsvSource({"Mistral-7B, 32, 85262336", "Mistral-7B, 96, 253034496", "Gemma-2-9B, 64, 217921536",
      "Gemma-7B, 96, 301916160", "Llama-3.2-3B, 32, 49401856", "Llama-3.2-3B, 64, 98029568",
      "RoBERTa-large, 8, 2260992", "RoBERTa-large, 24, 6586368"})
  void doraAddsOneMagnitudePerOutputFeature(String model, int r, long expected) {
    assertThat(count("dora", r, model)).isEqualTo(expected);
  }

  @Test
  void fullCountsEveryLinearMapWithBias() {
    List<LinearSite> sites = encoder(1, 8, 32);
    long expected = 4 * (8 * 8 + 8) + (32 * 8 + 32) + (8 * 32 + 8);
    assertThat(TrainableParameters.count(MethodConfig.defaults("full"), TestTargets.ENCODER, sites, s -> true)).isEqualTo(expected);
  }
}
