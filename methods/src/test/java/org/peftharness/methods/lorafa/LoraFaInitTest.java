package org.peftharness.methods.lorafa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.peftharness.core.InvalidInputException;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.MethodConfig;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.TestConfigs;
import org.peftharness.methods.TestTensors;
import org.peftharness.methods.export.Merge;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.testing.JacobiSvd;

/**
 * LoRA-FA's SVD inits against an SVD computed independently of the harness's (a float64 Jacobi
 * SVD under the documented sign convention): seed-svd is svd-lorafa's {@code A = (U_r S_r)ᵀ},
 * {@code B = Vh[:, :r]} exactly, and moves the model; svd-residual starts at W0.
 */
class LoraFaInitTest {
  private static final int N = 12;

  private static InitInputs inputs(String module, FloatTensor w0) {
    return new InitInputs(module, w0, null, null, new SplittableRandom(1), new SplittableRandom(2));
  }

  private static double[][] rows(FloatTensor t) {
    int m = (int) t.dim(0);
    int n = (int) t.dim(1);
    double[][] out = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = t.get(i, j);
      }
    }
    return out;
  }

  @Test
  void seedSvdIsTheSeedsFormulaUnderTheSignConvention() {
    FloatTensor w0 = TestTensors.random(new SplittableRandom(21), 1.0, N, N);
    JacobiSvd svd = JacobiSvd.of(rows(w0));
    for (int r : new int[] {1, 3, N}) {
      SiteInit init = TestConfigs.of("lora-fa", "rank", r, "alpha", 1, "init", "seed-svd").init(inputs("q", w0));
      assertThat(init.a().shape()).containsExactly(r, N);
      assertThat(init.b().shape()).containsExactly(N, r);
      assertThat(init.residual()).isNull();
      double tol = 1e-6 * svd.s()[0];
      for (int k = 0; k < r; k++) {
        for (int i = 0; i < N; i++) {
          // A = (U[:, :r] · S[:r])ᵀ: row k is σ_k u_kᵀ
          assertThat((double) init.a().get(k, i)).as("A[%d,%d] r=%d", k, i, r)
              .isCloseTo(svd.u()[i][k] * svd.s()[k], Offset.offset(tol));
          // B = Vh[:, :r], Vh = Vᵀ: B[i, k] = Vh[i, k] = V[k, i], the k-th entry of v_i
          assertThat((double) init.b().get(i, k)).as("B[%d,%d] r=%d", i, k, r)
              .isCloseTo(svd.v()[k][i], Offset.offset(1e-6));
        }
      }
    }
  }

  @Test
  void seedSvdMovesTheModelAndFlippingOneTripletChangesTheStart() {
    FloatTensor w0 = TestTensors.random(new SplittableRandom(22), 1.0, N, N);
    MethodConfig<?> o = TestConfigs.of("lora-fa", "rank", 4, "alpha", 1, "init", "seed-svd");
    assertThat(o.startingPoint()).isEqualTo(StartingPoint.MOVED);
    SiteInit init = o.init(inputs("q", w0));
    FloatTensor start = Merge.merged(w0, init.a(), init.b(), null, TestConfigs.scaling(o));
    assertThat(TestTensors.maxAbsDiff(start, w0)).isGreaterThan(1e-3);
    // the start depends on the sign of a triplet beyond r: flipping u_N, v_N (a valid SVD too) flips row N-1 of B
    JacobiSvd svd = JacobiSvd.of(rows(w0));
    Matrix b = Matrix.of(init.b());
    Matrix flipped = b.copy();
    for (int k = 0; k < 4; k++) {
      flipped.set(N - 1, k, -b.get(N - 1, k));
      assertThat(b.get(N - 1, k)).isCloseTo(svd.v()[k][N - 1], Offset.offset(1e-6));
    }
    Matrix a = Matrix.of(init.a());
    assertThat(flipped.mul(a).maxAbsDiff(b.mul(a))).isGreaterThan(1e-3);
  }

  @Test
  void seedSvdRefusesNonSquareMatricesNamingTheModule() {
    MethodConfig<?> o = TestConfigs.of("lora-fa", "rank", 4, "init", "seed-svd");
    assertThatThrownBy(() -> o.checkShape("encoder.layer.3.intermediate.dense", 48, 12))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("encoder.layer.3.intermediate.dense").hasMessageContaining("48x12")
        .hasMessageContaining("square").hasMessageContaining("init");
    assertThatThrownBy(() -> o.init(inputs("layer.out", TestTensors.random(new SplittableRandom(1), 1, 12, 8))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("layer.out");
    o.checkShape("square", 12, 12);
    TestConfigs.of("lora-fa", "rank", 4, "init", "svd-residual").checkShape("tall", 48, 12);
    assertThatThrownBy(() -> TestConfigs.of("lora-fa", "rank", 13, "init", "svd-residual").checkShape("tall", 48, 12))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("tall");
    TestConfigs.of("lora-fa", "rank", 12).checkShape("any", 48, 12);
    assertThatThrownBy(() -> TestConfigs.of("lora-fa", "rank", 64).checkShape("any", 48, 12))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("min(m, n) = 12");
  }

  @Test
  void svdResidualStartsAtW0WithTheIntendedFactors() {
    for (long[] shape : new long[][] {{N, N}, {20, N}, {N, 20}}) {
      FloatTensor w0 = TestTensors.random(new SplittableRandom(23), 1.0, shape);
      for (double alpha : new double[] {1, 4, 16}) {
        MethodConfig<?> o = TestConfigs.of("lora-fa", "rank", 4, "alpha", alpha, "init", "svd-residual");
        assertThat(o.startingPoint()).isEqualTo(StartingPoint.BASE_MODEL_UP_TO_ROUNDING);
        double s = TestConfigs.scaling(o);
        SiteInit init = o.init(inputs("q", w0));
        FloatTensor merged = Merge.merged(init.residual(), init.a(), init.b(), null, s);
        assertThat(TestTensors.maxAbsDiff(merged, w0)).isLessThanOrEqualTo(8 * Math.ulp((float) TestTensors.maxAbs(w0)));
        // A = S_r^½ Vh[:r], B = U_r S_r^½ (wide matrices through the transpose's SVD: u and v swap)
        boolean tall = shape[0] >= shape[1];
        JacobiSvd svd = JacobiSvd.of(rows(tall ? w0 : Matrix.of(w0).transpose().toFloat()));
        double[][] left = tall ? svd.u() : svd.v();
        double[][] right = tall ? svd.v() : svd.u();
        for (int k = 0; k < 4; k++) {
          double root = Math.sqrt(svd.s()[k]);
          // the harness's convention fixes the sign of u_k (the left vector of W0): align the test's pair to it
          int big = 0;
          for (int i = 0; i < left.length; i++) {
            if (Math.abs(left[i][k]) > Math.abs(left[big][k])) {
              big = i;
            }
          }
          double sign = left[big][k] < 0 ? -1 : 1;
          for (int i = 0; i < left.length; i++) {
            assertThat((double) init.b().get(i, k)).isCloseTo(sign * left[i][k] * root, Offset.offset(1e-5));
          }
          for (int j = 0; j < right.length; j++) {
            assertThat((double) init.a().get(k, j)).isCloseTo(sign * right[j][k] * root, Offset.offset(1e-5));
          }
        }
      }
    }
  }

  @Test
  void optionsDefaultsIdsAndExport() {
    MethodConfig<?> random = MethodConfig.defaults("lora-fa");
    assertThat(random.toMap()).doesNotContainKey("init");
    assertThat(random.startingPoint()).isEqualTo(StartingPoint.BASE_MODEL);
    assertThat(MethodConfig.fromMap(TestConfigs.of("lora-fa", "init", "random").toMap(), "x")).isEqualTo(random);
    MethodConfig<?> seed = TestConfigs.of("lora-fa", "init", "seed-svd");
    assertThat(seed.toMap()).containsEntry("init", "seed-svd");
    assertThat(MethodConfig.fromMap(seed.toMap(), "x")).isEqualTo(seed);
    assertThatThrownBy(() -> TestConfigs.of("lora-fa", "init", "svd")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("init").hasMessageContaining("unknown value 'svd'");
    assertThatThrownBy(() -> TestConfigs.of("lora-fa", "init", "Seed-SVD")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'seed-svd'");
    // seed-svd keeps W0 and exports as plain LoRA; svd-residual as PiSSA's rank-2r conversion
    PeftConversion plain = seed.peftConversion().orElseThrow();
    assertThat(plain.rank()).isEqualTo(seed.rank());
    MethodConfig<?> res = TestConfigs.of("lora-fa", "rank", 4, "alpha", 8, "init", "svd-residual");
    PeftConversion doubled = res.peftConversion().orElseThrow();
    assertThat(doubled.rank()).isEqualTo(8);
    assertThat(doubled.alpha()).isEqualTo(16.0);
  }

  @Test
  void theCorrectionOfASeedSvdStartIsTheInverseSquaredSingularValues() {
    FloatTensor w0 = TestTensors.random(new SplittableRandom(24), 1.0, N, N);
    MethodConfig<?> o = TestConfigs.of("lora-fa", "rank", 3, "alpha", 1, "init", "seed-svd");
    SiteInit init = o.init(inputs("q", w0));
    double s = TestConfigs.scaling(o);
    FloatTensor p = LoraFaCorrection.preconditioner(init.a(), s);
    JacobiSvd svd = JacobiSvd.of(rows(w0));
    // A Aᵀ = S_r U_rᵀ U_r S_r = S_r²
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double want = i == j ? 1 / (svd.s()[i] * svd.s()[i] * s * s) : 0;
        double largest = 1 / (svd.s()[2] * svd.s()[2] * s * s);
        assertThat((double) p.get(i, j)).isCloseTo(want, Offset.offset(1e-5 * largest));
      }
    }
  }
}
