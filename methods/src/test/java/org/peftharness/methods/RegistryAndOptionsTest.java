package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.peftharness.methods.TestConfigs.of;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.dora.DoraMethod;
import org.peftharness.methods.estimate.GradientRule;
import org.peftharness.methods.linalg.Svd;
import org.peftharness.methods.loraga.LoraGaOptions;

class RegistryAndOptionsTest {

  @Test
  void registryListsTheBuiltInMethodsWithDescriptions() {
    // a method added later is listed after these, so this stays true without an edit
    assertThat(MethodRegistry.builtin().descriptions().keySet())
        .startsWith("none", "full", "lora", "lora-xs", "lora-ga", "pissa", "lora-fa", "lora-sb", "dora");
    MethodRegistry.builtin().descriptions().values().forEach(d -> assertThat(d).isNotBlank().doesNotContain("\n"));
  }

  @Test
  void unknownNameSuggestsTheClosest() {
    assertThatThrownBy(() -> MethodRegistry.builtin().get("lora-sv")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown method 'lora-sv'").hasMessageContaining("did you mean").hasMessageContaining("'lora-sb'");
    assertThatThrownBy(() -> MethodRegistry.builtin().get("pisa")).hasMessageContaining("did you mean 'pissa'?");
    assertThatThrownBy(() -> MethodRegistry.builtin().get("qlora")).hasMessageContaining("'lora'");
    assertThatThrownBy(() -> MethodRegistry.builtin().get("completely-different-thing")).hasMessageContaining("known: none, full, lora");
    InvalidInputException e = (InvalidInputException) org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
        () -> MethodRegistry.builtin().get("lora_fa", "grid.yaml", 12, "methods[2].name"));
    assertThat(e.source()).isEqualTo("grid.yaml");
    assertThat(e.line()).isEqualTo(12);
    assertThat(e.getMessage()).startsWith("grid.yaml:12: methods[2].name: unknown method 'lora_fa'").contains("'lora-fa'");
  }

  @Test
  void defaultsRoundTripForEveryMethod() {
    for (FineTuningMethod<?> m : MethodRegistry.builtin().all()) {
      MethodConfig<?> d = MethodConfig.defaults(m.name());
      Map<String, Object> map = d.toMap();
      assertThat(MethodConfig.fromMap(map, "x")).isEqualTo(d);
      assertThat(MethodConfig.fromMap(Map.of("method", m.name()), "x")).isEqualTo(d);
      assertThat(map.get("method")).isEqualTo(m.name());
    }
    assertThat(MethodConfig.defaults("lora").toMap()).containsEntry("rank", 8).containsEntry("alpha", 8.0)
        .containsEntry("use_rslora", false).containsEntry("dropout", 0.0).doesNotContainKey("target_modules");
    assertThat(MethodConfig.defaults("lora-ga").toMap()).containsEntry("direction", "ArB2r").containsEntry("scale", "stable")
        .containsEntry("stable_gamma", 16.0).containsEntry("estimation_samples", 128).containsEntry("estimation_batch_size", 2)
        .containsEntry("svd", "exact");
    assertThat(MethodConfig.defaults("lora-sb").toMap()).containsEntry("alpha", 8.0).containsEntry("estimation_samples", 50);
    assertThat(MethodConfig.defaults("lora-fa").toMap()).containsEntry("lorafa_optimizer", true);
    assertThat(MethodConfig.defaults("full").toMap()).containsOnlyKeys("method");
  }

  @Test
  void nonDefaultOptionsRoundTrip() {
    Map<String, Object> in = new LinkedHashMap<>();
    in.put("method", "lora-ga");
    in.put("rank", 16);
    in.put("alpha", 32);
    in.put("use_rslora", true);
    in.put("dropout", 0.05);
    in.put("target_modules", List.of("q_proj", "v_proj"));
    in.put("svd", "randomized");
    in.put("direction", "ArBr");
    in.put("scale", "gd");
    in.put("stable_gamma", 64);
    in.put("estimation_samples", 8);
    in.put("estimation_batch_size", 1);
    MethodConfig<?> o = MethodConfig.fromMap(in, "grid.yaml");
    LoraGaOptions ga = (LoraGaOptions) o.options();
    assertThat(ga.svd()).isEqualTo(new Svd.Options(true, 4, 32));
    assertThat(TestConfigs.scaling(o)).isEqualTo(32 / 4.0);
    assertThat(ga.direction()).isEqualTo(LoraGaOptions.Direction.ArBr);
    Map<String, Object> canon = o.toMap();
    assertThat(canon).containsEntry("svd_niter", 4).containsEntry("svd_oversample", 32).containsEntry("alpha", 32.0);
    assertThat(MethodConfig.fromMap(canon, "again")).isEqualTo(o);
    assertThat(MethodConfig.fromMap(canon, "again").toMap()).isEqualTo(canon);

    MethodConfig<?> fa = MethodConfig.fromMap(Map.of("method", "lora-fa", "rank", 4, "lorafa_optimizer", false), "x");
    assertThat(fa.toMap()).containsEntry("lorafa_optimizer", false);
    assertThat(MethodConfig.fromMap(fa.toMap(), "x")).isEqualTo(fa);
    MethodConfig<?> xs = MethodConfig.fromMap(Map.of("method", "lora-xs", "rank", 25), "x");
    assertThat(xs.adapterOptions().orElseThrow().alpha()).isEqualTo(25.0);
    assertThat(TestConfigs.scaling(xs)).isEqualTo(1.0);
  }

  private static void bad(Map<String, Object> map, String field, String text) {
    assertThatThrownBy(() -> MethodConfig.fromMap(map, "grid.yaml")).isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field))
        .hasMessageContaining(text);
  }

  private static Map<String, Object> opts(String method, Object... kv) {
    Map<String, Object> m = new HashMap<>();
    m.put("method", method);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void badOptionsAreClearErrors() {
    bad(opts("lora", "rank", 0), "rank", "at least 1");
    bad(opts("lora", "rank", "eight"), "rank", "must be an integer");
    bad(opts("lora", "rank", 2.5), "rank", "must be an integer");
    bad(opts("lora", "alpha", -1), "alpha", "positive");
    bad(opts("lora", "dropout", 1.0), "dropout", "[0, 1)");
    bad(opts("lora", "use_rslora", "yes"), "use_rslora", "true or false");
    bad(opts("lora", "rnak", 8), "rnak", "did you mean 'rank'");
    bad(opts("lora", "direction", "ArB2r"), "direction", "not an option of method 'lora'");
    bad(opts("lora-ga", "direction", "arb2r"), "direction", "case-sensitive");
    bad(opts("lora-ga", "direction", "ArB3r"), "direction", "did you mean 'ArB2r'");
    bad(opts("lora-ga", "scale", "weights"), "scale", "case-sensitive: write 'weightS'");
    bad(opts("lora-ga", "stable_gamma", 0), "stable_gamma", "positive");
    bad(opts("lora-ga", "estimation_samples", 0), "estimation_samples", "at least 1");
    bad(opts("pissa", "svd", "fast"), "svd", "'exact' or 'randomized'");
    bad(opts("pissa", "svd_niter", 4), "svd_niter", "only with svd: randomized");
    bad(opts("pissa", "svd", "randomized", "svd_niter", -1), "svd_niter", "0 or more");
    bad(opts("lora-sb", "rank", 8, "alpha", 16), "alpha", "fixes alpha = rank");
    bad(opts("lora-sb", "use_rslora", true), "use_rslora", "does not use rsLoRA");
    bad(opts("lora", "target_modules", List.of()), "target_modules", "at least one");
    bad(opts("lora", "target_modules", List.of("q_proj", "q_proj")), "target_modules", "twice");
    bad(opts("lora", "target_modules", List.of(3)), "target_modules", "list of module-name suffixes");
    bad(opts("full", "rank", 8), "rank", "not an option of method 'full'");
    bad(opts("lora-fa", "lorafa_optimizer", 1), "lorafa_optimizer", "true or false");
    assertThatThrownBy(() -> MethodConfig.fromMap(Map.of("rank", 8), "g")).hasMessageContaining("method: missing");
  }

  @Test
  void shapeLimitsOfSvdMethods() {
    of("pissa", "rank", 16).checkShape("m", 24, 16);
    assertThatThrownBy(() -> of("pissa", "rank", 17).checkShape("layer.q", 24, 16))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("rank <= min(m, n)").hasMessageContaining("layer.q");
    assertThatThrownBy(() -> of("lora-xs", "rank", 17).checkShape("layer.q", 24, 16))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("rank <= min(m, n)").hasMessageContaining("layer.q");
    assertThatThrownBy(() -> of("lora-sb", "rank", 13, "alpha", 13).checkShape("w", 12, 20))
        .hasMessageContaining("min(m, n) = 12");
    of("lora-ga", "rank", 8).checkShape("m", 24, 16);
    assertThatThrownBy(() -> of("lora-ga", "rank", 9).checkShape("m", 24, 16))
        .hasMessageContaining("2*rank = 18").hasMessageContaining("use rank <= 8");
    // every adapter, not only the SVD inits: a rank above min(m, n) buys nothing but memory
    of("lora", "rank", 16).checkShape("m", 24, 16);
    for (String method : List.of("lora", "lora-fa", "dora")) {
      assertThatThrownBy(() -> of(method, "rank", 64).checkShape("layer.q", 24, 16)).as(method)
          .isInstanceOf(InvalidInputException.class).hasMessageContaining(method + " needs rank <= min(m, n)")
          .hasMessageContaining("layer.q (24x16)");
    }
  }

  @Test
  void targetMatchingFollowsPeftSuffixRule() {
    List<String> enc = TestTargets.ENCODER;
    assertThat(TargetModules.matches("encoder.layer.3.attention.self.query", enc)).isTrue();
    assertThat(TargetModules.matches("encoder.layer.3.attention.self.value", enc)).isTrue();
    assertThat(TargetModules.matches("encoder.layer.3.attention.self.key", enc)).isFalse();
    assertThat(TargetModules.matches("encoder.layer.3.attention.output.dense", enc)).isTrue();
    assertThat(TargetModules.matches("encoder.layer.3.output.dense", enc)).isTrue();
    assertThat(TargetModules.matches("encoder.layer.3.intermediate.dense", enc)).isFalse();
    assertThat(TargetModules.matches("encoder.layer.3.output.dense", List.of("attention.output.dense"))).isFalse();
    assertThat(TargetModules.matches("model.layers.0.self_attn.q_proj", TestTargets.DECODER)).isTrue();
    assertThat(TargetModules.matches("model.layers.0.self_attn.xq_proj", TestTargets.DECODER)).isFalse();
  }

  @Test
  void methodsDeclareTheirThreeChoices() {
    assertThat(MethodRegistry.builtin().get("lora-fa").trainableRoles()).containsExactly(Role.B);
    assertThat(MethodRegistry.builtin().get("lora-xs").trainableRoles()).containsExactly(Role.R);
    assertThat(MethodRegistry.builtin().get("full").trainableRoles()).containsExactlyInAnyOrder(Role.WEIGHT, Role.BIAS);
    assertThat(MethodRegistry.builtin().get("pissa").startingPoint()).isEqualTo(StartingPoint.BASE_MODEL_UP_TO_ROUNDING);
    assertThat(MethodRegistry.builtin().get("lora-ga").startingPoint()).isEqualTo(StartingPoint.BASE_MODEL_UP_TO_ROUNDING);
    assertThat(MethodRegistry.builtin().get("lora-sb").startingPoint()).isEqualTo(StartingPoint.MOVED);
    assertThat(MethodRegistry.builtin().get("dora").trainableRoles()).containsExactlyInAnyOrder(Role.A, Role.B, DoraMethod.MAGNITUDE);
    assertThat(MethodRegistry.builtin().get("dora").startingPoint()).isEqualTo(StartingPoint.BASE_MODEL_UP_TO_ROUNDING);
    assertThat(MethodConfig.defaults("lora-ga").gradientEstimation().orElseThrow().rule()).isEqualTo(GradientRule.AVERAGED);
    assertThat(MethodConfig.defaults("lora-sb").gradientEstimation().orElseThrow().rule()).isEqualTo(GradientRule.SUMMED);
    assertThat(MethodConfig.defaults("lora").gradientEstimation()).isEmpty();
    assertThat(MethodRegistry.builtin().all()).filteredOn(FineTuningMethod::trainsWholeModel).extracting(FineTuningMethod::name)
        .containsExactly("full");
    assertThat(TestConfigs.scaling(of("lora", "use_rslora", true, "rank", 16, "alpha", 8))).isEqualTo(2.0);
  }

  @Test
  void everyOptionHasHelpAndTheRegistryIsFrozen() {
    for (FineTuningMethod<?> m : MethodRegistry.builtin().all()) {
      m.options().forEach(o -> assertThat(o.help()).as(m.name() + " " + o.key()).isNotBlank());
      assertThat(m.name()).matches("[a-z][a-z0-9-]*");
    }
    assertThatThrownBy(() -> MethodRegistry.builtin().all().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> MethodRegistry.builtin().with(MethodRegistry.builtin().get("lora")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("registered twice: lora");
  }
}
