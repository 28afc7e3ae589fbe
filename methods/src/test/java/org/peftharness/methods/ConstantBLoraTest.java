package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.seed.SeedStreams;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.adapter.AdapterFactory;
import org.peftharness.methods.adapter.AdapterVariable;
import org.peftharness.methods.adapter.LowRankSite;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.adapter.TensorIO;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Kaiming;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.peftharness.methods.params.TrainableParameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The method axis is open: a method defined only here, "LoRA with B initialised to a constant c",
 * plugs in through {@link MethodRegistry#with} without touching shared code, builds a real graph,
 * initialises, computes W0x + b + s·c·(x Aᵀ)·1ᵀ at init, trains A from the first step (where LoRA's
 * B = 0 leaves A's gradient zero), and passes the registry-driven forward and export checks.
 */
class ConstantBLoraTest {
  /** The throwaway method: LoRA's site and A, B filled with {@code b_init}. */
  static final class ConstantBLora implements FineTuningMethod<ConstantBLora.Options> {
    static final Option<Double> B_INIT = Option.number("b_init", "the value every entry of B starts at (default 0.01)")
        .require(Double::isFinite, "a finite number");

    record Options(AdapterOptions adapter, double bInit) implements MethodOptions {
      @Override
      public Optional<AdapterOptions> adapterOptions() {
        return Optional.of(adapter);
      }

      @Override
      public void writeTo(Map<String, Object> canonical) {
        adapter.writeTo(canonical);
        canonical.put(B_INIT.key(), bInit);
      }
    }

    @Override
    public String name() {
      return "lora-constant-b";
    }

    @Override
    public String description() {
      return "LoRA with B initialised to a constant (a test's throwaway method)";
    }

    @Override
    public List<Option<?>> options() {
      List<Option<?>> all = new ArrayList<>(AdapterOptions.options(AdapterOptions.ALPHA));
      all.add(B_INIT);
      return all;
    }

    @Override
    public Options readOptions(OptionReader reader) {
      return new Options(AdapterOptions.read(reader, false), reader.read(B_INIT, 0.01));
    }

    @Override
    public Set<Role> trainableRoles() {
      return Set.of(Role.A, Role.B);
    }

    @Override
    public StartingPoint startingPoint() {
      return StartingPoint.MOVED;
    }

    @Override
    public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, Options options) {
      return LowRankSite.build(site, options.adapter(), false);
    }

    @Override
    public SiteInit init(Options options, InitInputs in) {
      int m = (int) in.w0().dim(0);
      int r = options.adapter().rank();
      float[] b = new float[m * r];
      Arrays.fill(b, (float) options.bInit());
      return SiteInit.of(Kaiming.uniformA((int) in.w0().dim(1), r, in.random()), new FloatTensor(new long[] {m, r}, b), null, null);
    }

    @Override
    public long trainablePerMatrix(Options options, long m, long n, boolean bias) {
      return (long) options.adapter().rank() * (m + n);
    }

    @Override
    public String trainableFormula() {
      return "r(m+n)";
    }

    @Override
    public Optional<PeftConversion> peftConversion(Options options) {
      return Optional.of(PeftConversion.asIs(options.adapter()));
    }
  }

  private static final MethodRegistry REGISTRY = MethodRegistry.builtin().with(new ConstantBLora());
  private static final String MODULE = "model.layers.0.self_attn.q_proj";

  @Test
  void registersBesideTheBuiltinsWhichStayAsTheyAre() {
    assertThat(REGISTRY.names()).endsWith("lora-constant-b").containsAll(MethodRegistry.builtin().names());
    assertThat(MethodRegistry.builtin().contains("lora-constant-b")).isFalse();
    MethodConfig<?> c = TestConfigs.of(REGISTRY, "lora-constant-b", "rank", 2, "b_init", 0.5);
    assertThat(c.toMap()).containsEntry("b_init", 0.5).containsEntry("rank", 2).containsEntry("alpha", 8.0);
    assertThat(REGISTRY.config(c.toMap(), "again")).isEqualTo(c);
    assertThatThrownBy(() -> TestConfigs.of(REGISTRY, "lora-constant-b", "b_inti", 0.5))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("did you mean 'b_init'");
    assertThatThrownBy(() -> TestConfigs.of(REGISTRY, "lora-constant-b", "b_init", Double.NaN)).hasMessageContaining("finite");
    assertThatThrownBy(() -> MethodRegistry.builtin().get("lora-constant-b")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void passesTheRegistryDrivenForwardAndExportChecks() {
    List<MethodConfig<?>> mine = AdapterForwardTest.variants(REGISTRY).stream().filter(c -> c.name().equals("lora-constant-b")).toList();
    assertThat(mine).hasSize(2); // as configured, and with use_rslora flipped
    mine.forEach(AdapterForwardTest::checkForwardAndExport);
  }

  @Test
  void startsAtTheConstantBAndTrainsAFromTheFirstStep() {
    double c = 0.25;
    MethodConfig<?> o = TestConfigs.of(REGISTRY, "lora-constant-b", "rank", 2, "alpha", 4, "b_init", c);
    AdapterFactory f = AdapterFactory.create(o, TestTargets.DECODER, null);
    FloatTensor w0 = TestTensors.random(new SplittableRandom(5), 1, 3, 5);
    FloatTensor x = TestTensors.random(new SplittableRandom(6), 1, 4, 5);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Nn<TFloat32> nn = new Nn<>(tf, TFloat32.class);
      Operand<TFloat32> w = tf.variable(tf.constant(Shape.of(3, 5), DataBuffers.of(w0.data(), true, false)));
      Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 5)));
      Operand<TFloat32> y = f.build(new LinearSite(MODULE, 0, "q_proj", 3, 5), nn, xp, w, null);
      Operand<TFloat32> loss = tf.math.square(tf.sum(y, tf.constant(new int[] {0, 1})));
      List<Operand<?>> vars = new ArrayList<>();
      f.trainableVariables().forEach(v -> vars.add(v.variable()));
      assertThat(f.trainableVariables()).extracting(AdapterVariable::role).containsExactly(Role.A, Role.B);
      assertThat(f.trainableParameterCount()).isEqualTo(2 * (3 + 5))
          .isEqualTo(TrainableParameters.count(o, TestTargets.DECODER, List.of(new LinearSite(MODULE, 0, "q_proj", 3, 5)), s -> false));
      @SuppressWarnings({"unchecked", "rawtypes"})
      Gradients grads = tf.gradients(loss, (Iterable) vars);
      try (Session s = new Session(g)) {
        f.initialize(s, new SeedStreams(3), Map.of(), null);
        SiteInit init = f.site(MODULE).init();
        assertThat(init.b().data()).containsOnly((float) c);
        // host: x W0ᵀ + s·c·(x Aᵀ)·1ᵀ, s = alpha / r = 2
        Matrix xa = Matrix.of(x).mul(Matrix.of(init.a()).transpose());
        Matrix expected = Matrix.of(x).mul(Matrix.of(w0).transpose());
        for (int i = 0; i < expected.rows; i++) {
          double rowSum = xa.get(i, 0) + xa.get(i, 1);
          for (int j = 0; j < expected.cols; j++) {
            expected.set(i, j, expected.get(i, j) + 2.0 * c * rowSum);
          }
        }
        try (TFloat32 xv = TensorIO.toTensor(x);
            Result r = s.runner().feed(xp, xv).fetch(y).fetch(grads.dy(0)).fetch(grads.dy(1)).run()) {
          assertThat(TestTensors.maxAbsDiff(TensorIO.toHost(r.get(0)), expected.toFloat())).isLessThan(1e-5);
          assertThat(TestTensors.maxAbs(TensorIO.toHost(r.get(1)))).as("B = c, so dL/dA is not zero").isPositive();
          assertThat(TestTensors.maxAbs(TensorIO.toHost(r.get(2)))).as("dL/dB").isPositive();
        }
      }
    }
  }
}
