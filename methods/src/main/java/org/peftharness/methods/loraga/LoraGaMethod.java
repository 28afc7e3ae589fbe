package org.peftharness.methods.loraga;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.LowRankSite;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.estimate.GradientRule;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Residual;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.EstimationOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.peftharness.methods.options.SvdChoice;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * LoRA-GA (Wang et al. 2024), the authors' fork: the low-rank site on a residual base, A and B
 * from the SVD of the averaged gradient of W0 (GA lora_ga_utils.py L63–138 for the pre-pass).
 */
public final class LoraGaMethod implements FineTuningMethod<LoraGaOptions> {
  public static final String NAME = "lora-ga";
  static final int REFERENCE_NITER = 4;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LoRA-GA (Wang et al. 2024): A, B from the SVD of an averaged gradient of W0, stable scale, residual base";
  }

  @Override
  public List<Option<?>> options() {
    List<Option<?>> all = new ArrayList<>(AdapterOptions.options(AdapterOptions.ALPHA));
    all.addAll(SvdChoice.OPTIONS);
    all.addAll(List.of(LoraGaOptions.DIRECTION, LoraGaOptions.SCALE, LoraGaOptions.STABLE_GAMMA));
    all.addAll(EstimationOptions.OPTIONS);
    return all;
  }

  /** The randomized SVD asks for q = 4r (it uses 2r), so it oversamples by 2r. */
  @Override
  public LoraGaOptions readOptions(OptionReader reader) {
    AdapterOptions adapter = AdapterOptions.read(reader, false);
    Svd.Options svd = SvdChoice.read(reader, REFERENCE_NITER, 2 * adapter.rank());
    return new LoraGaOptions(adapter, svd,
        reader.read(LoraGaOptions.DIRECTION, LoraGaOptions.Direction.ArB2r),
        reader.read(LoraGaOptions.SCALE, LoraGaOptions.Scale.STABLE),
        reader.read(LoraGaOptions.STABLE_GAMMA, 16.0),
        EstimationOptions.read(reader, 128, 2));
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.A, Role.B);
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL_UP_TO_ROUNDING;
  }

  /** LoRA-GA takes singular vectors 1..2r, so it needs 2·rank ≤ min(m, n). */
  @Override
  public void checkShape(LoraGaOptions options, String module, long m, long n) {
    int rank = options.adapter().rank();
    long min = Math.min(m, n);
    if (2L * rank > min) {
      throw new InvalidInputException((String) null, 0, AdapterOptions.RANK.key(), NAME + " uses 2*rank = " + 2 * rank
          + " singular vectors, but " + module + " (" + m + "x" + n + ") has only min(m, n) = " + min + "; use rank <= " + min / 2);
    }
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, LoraGaOptions options) {
    return LowRankSite.build(site, options.adapter(), true);
  }

  @Override
  public Optional<GradientEstimation> gradientEstimation(LoraGaOptions options) {
    return Optional.of(options.estimation().plan(GradientRule.AVERAGED, false));
  }

  /**
   * SVD of the averaged gradient G = U S Vh; the direction picks rows of Vh for A and columns of U
   * for B (default ArB2r: A = Vh[0:r], B = U[:, r:2r]); the scale multiplies both (default stable:
   * c = m^¼/√γ, m = out features); singular values of G are not used; W_res = W0 − s·B·A.
   */
  @Override
  public SiteInit init(LoraGaOptions o, InitInputs in) {
    Matrix w0 = Matrix.of(in.w0());
    Matrix g = in.requireGradient();
    int r = o.adapter().rank();
    double s = o.adapter().scaling();
    Svd.Result svd = Svd.compute(g, 2 * r, o.svd(), in.svdRandom());
    int[][] picked = directions(o.direction(), r, in.random());
    Matrix a = svd.vt().rowsAt(picked[0]);
    Matrix b = svd.u().columns(picked[1]);
    double c = switch (o.scale()) {
      case STABLE -> Math.pow(w0.rows, 0.25) / Math.sqrt(o.stableGamma());
      case GD -> 1 / s;
      case UNIT -> 1;
      case WEIGHT_S -> weightScale(w0, r, s, o.svd(), in.svdRandom());
    };
    if (o.scale() != LoraGaOptions.Scale.UNIT) {
      a = a.scale(c);
      b = b.scale(c);
    }
    return Residual.of(w0, a, b, s);
  }

  /** The indices into Vh's rows for A and into U's columns for B. */
  private static int[][] directions(LoraGaOptions.Direction direction, int r, SplittableRandom rng) {
    return switch (direction) {
      case ArB2r -> new int[][] {range(0, r, 1), range(r, 2 * r, 1)};
      case A2rBr -> new int[][] {range(r, 2 * r, 1), range(0, r, 1)};
      case ArBr -> new int[][] {range(1, 2 * r, 2), range(0, 2 * r, 2)};
      case RANDOM -> {
        // random.sample(range(2r), 2r): a random order; the first r for A, the rest for B
        int[] perm = range(0, 2 * r, 1);
        for (int i = perm.length - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int t = perm[i];
          perm[i] = perm[j];
          perm[j] = t;
        }
        yield new int[][] {Arrays.copyOfRange(perm, 0, r), Arrays.copyOfRange(perm, r, 2 * r)};
      }
    };
  }

  /** The weightS scale: the mean of √(σ_i(W0) / s) over the top r singular values of W0. */
  private static double weightScale(Matrix w0, int r, double s, Svd.Options svd, SplittableRandom rng) {
    Svd.Result sw = Svd.compute(w0, r, svd, rng);
    double c = 0;
    for (int i = 0; i < r; i++) {
      c += Math.sqrt(sw.s()[i] / s);
    }
    return c / r;
  }

  private static int[] range(int from, int to, int step) {
    int[] r = new int[(to - from + step - 1) / step];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i * step;
    }
    return r;
  }

  @Override
  public long trainablePerMatrix(LoraGaOptions options, long m, long n, boolean bias) {
    int r = options.adapter().rank();
    return (long) r * n + m * r;
  }

  @Override
  public String trainableFormula() {
    return "r(m+n)";
  }

  @Override
  public Optional<PeftConversion> peftConversion(LoraGaOptions options) {
    return Optional.of(PeftConversion.residualDoubled(options.adapter()));
  }
}
