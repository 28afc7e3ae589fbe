package org.peftharness.methods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.peftharness.methods.TestConfigs.of;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.export.Merge;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Kaiming;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.init.TrainingPlan;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;
import org.peftharness.methods.lorasb.LoraSbMethod;

class InitInvariantsTest {
  private static final long M = 24;
  private static final long N = 16;

  /**
   * With lr = eta, warmup 1, one epoch of one example, LoRA-SB's η_eff = lr / (1 · 1) is exactly
   * eta; NaN gives no plan (methods that read none).
   */
  private static InitInputs inputs(FloatTensor w0, FloatTensor g, double eta) {
    TrainingPlan plan = Double.isNaN(eta) ? null : new TrainingPlan(eta, 1.0, 1, 1);
    return new InitInputs("site", w0, g, plan, new SplittableRandom(1), new SplittableRandom(2));
  }

  private static double maxAbs(Matrix m) {
    double x = 0;
    for (double v : m.a) {
      x = Math.max(x, Math.abs(v));
    }
    return x;
  }

  @Test
  void pissaAndLoraGaStartExactlyAtW0UpToFloat32Rounding() {
    SplittableRandom rng = new SplittableRandom(7);
    FloatTensor w0 = TestTensors.random(rng, 1.0, M, N);
    FloatTensor g = TestTensors.random(rng, 1e-3, M, N);
    for (boolean rs : new boolean[] {false, true}) {
      for (MethodConfig<?> o : new MethodConfig<?>[] {
          of("pissa", "rank", 4, "alpha", 8, "use_rslora", rs),
          of("lora-ga", "rank", 4, "alpha", 8, "use_rslora", rs),
          of("lora-ga", "rank", 3, "alpha", 16, "use_rslora", rs, "direction", "A2rBr", "scale", "gd", "stable_gamma", 16),
          of("lora-ga", "rank", 3, "alpha", 16, "use_rslora", rs, "direction", "random", "scale", "weightS", "stable_gamma", 16),
          of("lora-ga", "rank", 2, "alpha", 2, "use_rslora", rs, "direction", "ArBr", "scale", "unit", "stable_gamma", 16)}) {
        SiteInit init = o.init(inputs(w0, g, Double.NaN));
        FloatTensor merged = Merge.merged(init.residual(), init.a(), init.b(), null, TestConfigs.scaling(o));
        // each of W_res, A, B carries one float32 rounding: a few ulps of the largest magnitude
        double ulp = Math.ulp((float) TestTensors.maxAbs(w0));
        assertThat(TestTensors.maxAbsDiff(merged, w0)).as(o.toMap().toString()).isLessThanOrEqualTo(8 * ulp);
        assertThat(TestTensors.maxAbsDiff(init.residual(), w0)).isGreaterThan(1e-3);
      }
    }
  }

  @Test
  void loraSbStartsAtTheBestRankRApproximationOfItsUpdateEstimate() {
    SplittableRandom rng = new SplittableRandom(11);
    FloatTensor g = TestTensors.random(rng, 1e-3, M, N);
    g.data()[5] = 0f; // sign(0) = 0
    double eta = 3e-7;
    int r = 4;
    MethodConfig<?> o = of("lora-sb", "rank", r, "alpha", r);
    assertThat(TestConfigs.scaling(o)).isEqualTo(1.0);
    SiteInit init = o.init(inputs(TestTensors.random(rng, 1, M, N), g, eta));
    Matrix ghat = LoraSbMethod.updateEstimate(Matrix.of(g), eta);
    assertThat(ghat.a[5]).isZero();
    assertThat(ghat.a[0]).isEqualTo(-eta * Math.signum(g.data()[0]));
    Matrix delta = Matrix.of(init.b()).mul(Matrix.of(init.r())).mul(Matrix.of(init.a())).scale(TestConfigs.scaling(o));
    // Eckart–Young: the best rank-r error in Frobenius norm is the tail of the singular values
    Svd.Result full = Svd.exact(ghat, (int) Math.min(M, N));
    double tail = 0;
    for (int i = r; i < full.k(); i++) {
      tail += full.s()[i] * full.s()[i];
    }
    Matrix err = ghat.minus(delta);
    double errSq = 0;
    for (double v : err.a) {
      errSq += v * v;
    }
    assertThat(Math.sqrt(errSq)).isCloseTo(Math.sqrt(tail), org.assertj.core.data.Offset.offset(1e-6 * Math.sqrt(tail)));
    // and equals the truncated reconstruction U_r S_r V_r^T element by element (float32 storage)
    Matrix best = full.u().columns(new int[] {0, 1, 2, 3}).scaleCols(java.util.Arrays.copyOf(full.s(), r))
        .mul(full.vt().rowsAt(new int[] {0, 1, 2, 3}));
    assertThat(delta.maxAbsDiff(best)).isLessThan(1e-6 * maxAbs(best));
    // R is diagonal with the singular values; A, B orthonormal
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < r; j++) {
        assertThat((double) init.r().get(i, j)).isCloseTo(i == j ? full.s()[i] : 0, org.assertj.core.data.Offset.offset(1e-6 * full.s()[0]));
      }
    }
    Matrix btb = Matrix.of(init.b()).transpose().mul(Matrix.of(init.b()));
    assertThat(btb.maxAbsDiff(Matrix.identity(r))).isLessThan(1e-6);
    assertThat(init.residual()).isNull();
  }

  @Test
  void signConventionLargestEntryOfEveryLeftVectorIsPositive() {
    SplittableRandom rng = new SplittableRandom(3);
    FloatTensor w0 = TestTensors.random(rng, 1, M, N);
    FloatTensor g = TestTensors.random(rng, 1, M, N);
    for (String name : new String[] {"pissa", "lora-xs", "lora-ga", "lora-sb"}) {
      MethodConfig<?> o = of(name, "rank", 4, "alpha", name.equals("lora-sb") ? 4 : 8);
      SiteInit init = o.init(inputs(w0, g, 1e-6));
      Matrix b = Matrix.of(init.b());
      for (int j = 0; j < b.cols; j++) {
        double big = 0;
        for (int i = 0; i < b.rows; i++) {
          if (Math.abs(b.get(i, j)) > Math.abs(big)) {
            big = b.get(i, j);
          }
        }
        assertThat(big).as(name + " column " + j).isPositive();
      }
    }
    // the convention makes the decomposition unique: negating the input flips only V
    Matrix m = Matrix.of(w0);
    Svd.Result a = Svd.exact(m, 4);
    Svd.Result b = Svd.exact(m.scale(-1), 4);
    assertThat(a.u().maxAbsDiff(b.u())).isLessThan(1e-12);
    assertThat(a.v().maxAbsDiff(b.v().scale(-1))).isLessThan(1e-12);
  }

  @Test
  void randomizedSvdAgreesWithExactOnAGappedSpectrum() {
    SplittableRandom rng = new SplittableRandom(5);
    FloatTensor w0 = TestTensors.random(rng, 1, 40, 30);
    Svd.Result exact = Svd.exact(Matrix.of(w0), 5);
    Svd.Result rand = Svd.randomized(Matrix.of(w0), 5, 10, 16, new SplittableRandom(9));
    for (int i = 0; i < 5; i++) {
      assertThat(rand.s()[i]).isCloseTo(exact.s()[i], org.assertj.core.data.Offset.offset(1e-6 * exact.s()[0]));
    }
    assertThat(rand.u().maxAbsDiff(exact.u())).isLessThan(1e-4);
    // deterministic for a seed
    Svd.Result again = Svd.randomized(Matrix.of(w0), 5, 10, 16, new SplittableRandom(9));
    assertThat(again.u().maxAbsDiff(rand.u())).isZero();
    MethodConfig<?> o = of("pissa", "rank", 5, "svd", "randomized", "svd_niter", 16, "svd_oversample", 10);
    SiteInit init = o.init(inputs(w0, null, Double.NaN));
    SiteInit ex = of("pissa", "rank", 5).init(inputs(w0, null, Double.NaN));
    assertThat(TestTensors.maxAbsDiff(init.a(), ex.a())).isLessThan(1e-3);
  }

  @Test
  void loraXsRIsSmallGaussianFromTheSeed() {
    SplittableRandom rng = new SplittableRandom(5);
    FloatTensor w0 = TestTensors.random(rng, 1, M, N);
    MethodConfig<?> o = of("lora-xs", "rank", 4);
    SiteInit a = o.init(inputs(w0, null, Double.NaN));
    SiteInit b = o.init(inputs(w0, null, Double.NaN));
    assertThat(a.r().data()).isEqualTo(b.r().data());
    double sumSq = 0;
    for (float v : a.r().data()) {
      sumSq += v * v;
    }
    assertThat(Math.sqrt(sumSq / 16)).isBetween(2e-6, 5e-5);
    assertThat(a.residual()).isNull();
  }

  @Test
  void kaimingUniformBoundAndSeeding() {
    SiteInit a = Kaiming.lora(8, 400, 4, new SplittableRandom(1));
    SiteInit b = Kaiming.lora(8, 400, 4, new SplittableRandom(1));
    assertThat(a.a().data()).isEqualTo(b.a().data());
    double bound = 1 / Math.sqrt(400);
    double mean = 0;
    double sq = 0;
    for (float v : a.a().data()) {
      assertThat((double) Math.abs(v)).isLessThanOrEqualTo((double) (float) bound);
      mean += v;
      sq += v * v;
    }
    mean /= 1600;
    // U(-b, b) has variance b^2 / 3
    assertThat(sq / 1600).isCloseTo(bound * bound / 3, org.assertj.core.data.Offset.offset(0.15 * bound * bound / 3));
    assertThat(Math.abs(mean)).isLessThan(0.1 * bound);
    assertThat(TestTensors.maxAbs(a.b())).isZero();
  }
}
