package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peftharness.methods.TestTensors.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.core.tensor.SafetensorsFile;
import org.peftharness.methods.inspect.InspectInit;
import org.peftharness.testing.SharedFiles;

/** Every expected tensor of ../shared/fixtures/method-init, through the inspect-init service. */
class InspectInitFixtureTest {
  private static final double TOL = 1e-4;

  private static JsonNode caseOf(String name) throws Exception {
    Path cases = SharedFiles.fixture("method-init/cases.json");
    return new ObjectMapper().readTree(cases.toFile()).get(name);
  }

  private static Map<String, FloatTensor> inspect(String method, JsonNode c, boolean rslora, FloatTensor w0, FloatTensor g) {
    InspectInit.Request q = new InspectInit.Request(
        InspectInit.forMethod(method, c.get("rank").asInt(), c.get("alpha").asDouble(), rslora), w0, g,
        c.get("lr").asDouble(), c.get("warmup_ratio").asDouble(), c.get("estimation_steps").asLong(), 42L);
    return InspectInit.run(q);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tall", "wide"})
  void matchesEveryFixtureTensor(String name) throws Exception {
    JsonNode c = caseOf(name);
    try (SafetensorsFile f = SafetensorsFile.open(SharedFiles.fixture("method-init/" + name + ".safetensors"))) {
      FloatTensor w0 = f.readFloat("W0");
      FloatTensor g = f.readFloat("G");
      int checked = 0;

      Map<String, FloatTensor> pissa = inspect("pissa", c, false, w0, null);
      assertThat(pissa.keySet()).containsExactly("A", "B", "W_base");
      assertClose(pissa.get("A"), f.readFloat("pissa.A"), TOL, name + " pissa.A");
      assertClose(pissa.get("B"), f.readFloat("pissa.B"), TOL, name + " pissa.B");
      assertClose(pissa.get("W_base"), f.readFloat("pissa.W_res"), TOL, name + " pissa.W_res");
      checked += 3;

      Map<String, FloatTensor> xs = inspect("lora-xs", c, false, w0, null);
      assertThat(xs.keySet()).containsExactly("A", "B", "R", "W_base");
      assertClose(xs.get("A"), f.readFloat("loraxs.A"), TOL, name + " loraxs.A");
      assertClose(xs.get("B"), f.readFloat("loraxs.B"), TOL, name + " loraxs.B");
      assertThat(xs.get("W_base").data()).isEqualTo(w0.data());
      assertThat(TestTensors.maxAbs(xs.get("R"))).isLessThan(1e-4f).isGreaterThan(0f);
      checked += 2;

      Map<String, FloatTensor> ga = inspect("lora-ga", c, false, w0, g);
      assertThat(ga.keySet()).containsExactly("A", "B", "W_base");
      assertClose(ga.get("A"), f.readFloat("loraga.A"), TOL, name + " loraga.A");
      assertClose(ga.get("B"), f.readFloat("loraga.B"), TOL, name + " loraga.B");
      assertClose(ga.get("W_base"), f.readFloat("loraga.W_res"), TOL, name + " loraga.W_res");
      Map<String, FloatTensor> gaRs = inspect("lora-ga", c, true, w0, g);
      assertClose(gaRs.get("W_base"), f.readFloat("loraga_rslora.W_res"), TOL, name + " loraga_rslora.W_res");
      checked += 4;

      Map<String, FloatTensor> sb = inspect("lora-sb", c, false, w0, g);
      assertThat(sb.keySet()).containsExactly("A", "B", "R", "W_base");
      assertClose(sb.get("A"), f.readFloat("lorasb.A"), TOL, name + " lorasb.A");
      assertClose(sb.get("B"), f.readFloat("lorasb.B"), TOL, name + " lorasb.B");
      assertClose(sb.get("R"), f.readFloat("lorasb.R"), TOL, name + " lorasb.R");
      assertThat(sb.get("W_base").data()).isEqualTo(w0.data());
      checked += 3;

      long expected = f.names().stream().filter(k -> k.contains(".")).count();
      assertThat(checked).as("every expected tensor in the fixture is checked").isEqualTo((int) expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tall", "wide"})
  void loraAndLoraFaHaveRandomAAndZeroB(String name) throws Exception {
    JsonNode c = caseOf(name);
    try (SafetensorsFile f = SafetensorsFile.open(SharedFiles.fixture("method-init/" + name + ".safetensors"))) {
      FloatTensor w0 = f.readFloat("W0");
      for (String m : new String[] {"lora", "lora-fa"}) {
        Map<String, FloatTensor> t = inspect(m, c, false, w0, null);
        assertThat(t.keySet()).containsExactly("A", "B", "W_base");
        double bound = 1 / Math.sqrt(w0.dim(1));
        assertThat(TestTensors.maxAbs(t.get("A"))).isLessThanOrEqualTo((double) (float) bound).isGreaterThan(bound / 2);
        assertThat(TestTensors.maxAbs(t.get("B"))).isZero();
        assertThat(t.get("W_base").data()).isEqualTo(w0.data());
      }
      assertThat(inspect("full", c, false, w0, null).keySet()).containsExactly("W");
    }
  }
}
