package org.peftharness.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.MethodRegistry;
import org.peftharness.methods.Role;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.graph.LinearFactory;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.params.TrainableParameters;
import org.peftharness.model.ArchitectureRegistry;
import org.peftharness.model.Precision;
import org.peftharness.model.PretrainedModel;
import org.peftharness.model.graph.EncoderModel;
import org.peftharness.model.graph.HostTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The contract every registered method keeps on a real (tiny, random) model graph, driven by the
 * registry so a new method is covered by registering it: after a few optimizer steps exactly the
 * variables the method trains have changed and every other one is bit-identical; the forward pass
 * is finite; the graph's trainable count is the method's formula; the options round-trip; and the
 * model at step 0 is the base model (exactly where the method's delta starts at zero, to float32
 * rounding where it moves W0 into a residual).
 */
class MethodContractTest {
  @TempDir Path dir;

  static Stream<String> methods() {
    return MethodRegistry.builtin().all().stream().map(FineTuningMethod::name);
  }

  /** The plan whose LoRA-SB η_eff is 1e-3: lr 1e-3, warmup 1, one epoch of one example. */
  static final TrainingPlan PLAN = new TrainingPlan(1e-3, 1.0, 1, 1);

  /** The method at rank 2 and alpha 4, each where the method takes it and does not fix it itself. */
  static MethodConfig<?> options(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(MethodConfig.METHOD_KEY, name);
    MethodRegistry.builtin().get(name).options().forEach(o -> {
      if (o.key().equals(AdapterOptions.RANK.key())) {
        m.put(o.key(), 2);
      } else if (o.key().equals(AdapterOptions.ALPHA.key()) && !o.fixed()) {
        m.put(o.key(), 4);
      }
    });
    return MethodConfig.fromMap(m, "test");
  }

  record Built(PretrainedModel model, EncoderModel<TFloat32> graph, SequenceClassifier<TFloat32> head, AdapterFactory factory) {}

  Built build(Path modelDir, LinearFactory linears, AdapterFactory factory) {
    return build(modelDir, linears, factory, Precision.FP32);
  }

  @SuppressWarnings("unchecked")
  Built build(Path modelDir, LinearFactory linears, AdapterFactory factory, Precision precision) {
    PretrainedModel pm = PretrainedModel.open(modelDir.toString());
    EncoderModel<TFloat32> g = (EncoderModel<TFloat32>) pm.buildGraph(TFloat32.class, linears, precision);
    SequenceClassifier<TFloat32> head = SequenceClassifier.attach(g, pm.weights(), 2, new SeedStreams(7));
    return new Built(pm, g, head, factory);
  }

  static Batch batch(SequenceClassifier<TFloat32> head) {
    SplittableRandom r = new SplittableRandom(5);
    List<int[]> ids = new ArrayList<>();
    int[] labels = new int[4];
    for (int i = 0; i < 4; i++) {
      int[] s = new int[6 + i];
      for (int j = 0; j < s.length; j++) {
        s[j] = 2 + r.nextInt(TinyModels.VOCAB - 2);
      }
      ids.add(s);
      labels[i] = i % 2;
    }
    return head.batch(ids, labels);
  }

  static Map<String, float[]> values(Session s, Map<String, Operand<? extends TNumber>> vars) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (var e : vars.entrySet()) {
      try (Result r = s.runner().fetch(e.getValue()).run()) {
        out.put(e.getKey(), HostTensors.toHost(r.get(0)).data().clone());
      }
    }
    return out;
  }

  /**
   * LoRA-FA with one of its SVD inits (an option the registry-driven cases leave at its default),
   * at rank 2 and alpha 4, on the attention's four square maps as svd-lorafa adapts them.
   */
  static MethodConfig<?> loraFaInit(String init) {
    return MethodConfig.fromMap(Map.of(MethodConfig.METHOD_KEY, "lora-fa", AdapterOptions.RANK.key(), 2,
        AdapterOptions.ALPHA.key(), 4, "init", init,
        AdapterOptions.TARGET_MODULES.key(), List.of("query", "key", "value", "attention.output.dense")), "test");
  }

  @ParameterizedTest
  @MethodSource("methods")
  void trainsExactlyItsVariablesAndStartsAtTheBaseModel(String name) {
    check(name, options(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"seed-svd", "svd-residual"})
  void loraFaSvdInitsKeepTheContract(String init) {
    check("lora-fa " + init, loraFaInit(init));
  }

  /**
   * The same contract in bf16, and where each tensor lives: the frozen pretrained tensors (a
   * residual too) in bfloat16, everything the optimizer trains in float32 (full fine-tuning's
   * master weights included), so AdamW's moments are float32 as well. A start that moves W0 into a
   * residual equals the base model up to the residual's bf16 rounding, as PEFT's PiSSA does in bf16.
   */
  @ParameterizedTest
  @MethodSource("methods")
  void keepsTheContractInBf16(String name) {
    check(name, options(name), Precision.BF16);
  }

  private void check(String name, MethodConfig<?> o) {
    check(name, o, Precision.FP32);
  }

  @SuppressWarnings("unchecked")
  private void check(String name, MethodConfig<?> o, Precision precision) {
    Path modelDir = TinyModels.encoder(dir, "bert", 2, 0.0, 0.0, true, 11);
    assertThat(MethodConfig.fromMap(o.toMap(), "round-trip")).isEqualTo(o);

    // the base model as the method's graph holds it: in bf16, full fine-tuning's float32 master weights
    LinearFactory baseLinears = new LinearFactory() {
      @Override
      public <T extends TNumber> Operand<T> build(LinearSite site, Nn<T> nn, Operand<T> x, Operand<T> weight,
          Variable<?> stored, Operand<T> bias) {
        return nn.linear(x, weight, bias);
      }

      @Override
      public boolean trainsBaseWeights() {
        return o.trainsWholeModel();
      }
    };
    Built plain = build(modelDir, baseLinears, null, precision);
    FloatTensor base = plain.head().predict(batch(plain.head()));
    plain.graph().close();
    plain.model().close();

    AdapterFactory factory = AdapterFactory.create(o, ArchitectureRegistry.BUILT_IN.get("bert").defaultTargets(), null);
    Built b = build(modelDir, factory, factory, precision);
    Class<?> frozen = precision == Precision.BF16 && !o.trainsWholeModel() ? TBfloat16.class : TFloat32.class;
    b.graph().parameters().forEach((k, p) -> assertThat(p.variable().type()).as(k).isEqualTo(frozen));
    for (AdapterVariable v : factory.variables()) {
      boolean model = v.role().equals(Role.WEIGHT) || v.role().equals(Role.BIAS);
      assertThat(((Operand<?>) v.variable()).type()).as(v.name()).isEqualTo(model && v.assign() != null ? frozen : TFloat32.class);
    }
    Session s = b.graph().session();
    Map<String, FloatTensor> gradients = new LinkedHashMap<>();
    SplittableRandom rng = new SplittableRandom(3);
    for (AdapterSite site : factory.sites()) {
      gradients.put(site.module(), TinyModels.random(rng, 1.0, site.site().outFeatures(), site.site().inFeatures()));
    }
    factory.initialize(s, new SeedStreams(9), gradients, PLAN);

    FloatTensor start = b.head().predict(batch(b.head()));
    for (float v : start.data()) {
      assertThat(Float.isFinite(v)).isTrue();
    }
    switch (o.startingPoint()) {
      case BASE_MODEL -> assertThat(start.data()).containsExactly(base.data());
      case BASE_MODEL_UP_TO_ROUNDING -> {
        // bf16 keeps 8 significant bits: a logit of this tiny model (|x| < 1) moves by a few 1e-3
        double tolerance = precision == Precision.BF16 ? 2e-2 : 1e-5;
        for (int i = 0; i < base.size(); i++) {
          assertThat((double) Math.abs(start.data()[i] - base.data()[i])).isLessThan(tolerance);
        }
      }
      // LoRA-XS starts from its R init, LoRA-SB from its update estimate (methods tests check both)
      case NEAR_BASE_MODEL, MOVED -> { }
    }

    Map<String, Variable<TFloat32>> trainable = new LinkedHashMap<>();
    if (o.trainsWholeModel()) {
      b.graph().parameters().forEach((k, p) -> trainable.put(k, p.trainable()));
    } else {
      for (AdapterVariable v : factory.trainableVariables()) {
        trainable.put(v.name(), (Variable<TFloat32>) v.variable());
      }
    }
    long adapterCount = trainable.values().stream().mapToLong(v -> v.shape().size()).sum();
    if (!o.trainsWholeModel()) {
      long formula = TrainableParameters.count(o, ArchitectureRegistry.BUILT_IN.get("bert").defaultTargets(),
          b.model().config().architecture().linearSites(b.model().config()), x -> true);
      assertThat(adapterCount).isEqualTo(formula);
    }
    b.head().variables().forEach((k, v) -> {
      if (k.startsWith("classifier")) {
        trainable.put(k, v);
      }
    });

    Map<String, Operand<? extends TNumber>> all = new LinkedHashMap<>();
    b.graph().parameters().forEach((k, p) -> all.put("model/" + k, p.value()));
    b.head().variables().forEach((k, v) -> all.putIfAbsent("head/" + k, v));
    // the model's own weight and bias are there as model/ already, read through their float views
    factory.variables().stream().filter(v -> !v.role().equals(Role.WEIGHT) && !v.role().equals(Role.BIAS))
        .forEach(v -> all.putIfAbsent("adapter/" + v.name(), v.variable()));
    Map<String, float[]> before = values(s, all);

    Trainer<TFloat32> trainer = new Trainer<>(b.graph(), b.head().loss(), trainable,
        TrainConfig.defaults(1e-2).withSteps(3));
    trainer.optimizer().slots().forEach(slot -> assertThat(List.of(slot.m().type(), slot.v().type()))
        .as(slot.name()).containsOnly(TFloat32.class));
    TrainResult result = trainer.train(List.of(batch(b.head())), TrainListener.NONE);
    assertThat(result.ok()).isTrue();
    Map<String, float[]> after = values(s, all);

    java.util.Set<Operand<?>> trained = new java.util.HashSet<>(trainable.values());
    if (o.trainsWholeModel()) {
      b.graph().parameters().forEach((k, p) -> trained.add(p.value()));
    }
    factory.variables().stream().filter(AdapterVariable::trainable).forEach(v -> trained.add(v.variable()));
    for (var e : all.entrySet()) {
      boolean changed = !java.util.Arrays.equals(before.get(e.getKey()), after.get(e.getKey()));
      assertThat(changed).as("%s %s", name, e.getKey()).isEqualTo(trained.contains(e.getValue()));
    }
    b.graph().close();
    b.model().close();
  }
}
