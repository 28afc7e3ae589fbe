package org.peftharness.methods.lorasb;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.LatentSite;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.estimate.GradientRule;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.init.TrainingPlan;
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
 * LoRA-SB (Ponkshe et al. 2024): the latent site with B, A frozen and R trained, all three from the
 * truncated SVD of the first full-FT update estimate −η_eff·sign(G) of the summed gradient G
 * (SB gradient_utils.py L100–114). Its reference code fixes alpha = rank (s = 1).
 */
public final class LoraSbMethod implements FineTuningMethod<LoraSbOptions> {
  public static final String NAME = "lora-sb";
  static final int REFERENCE_NITER = 10;
  private static final Option<Double> ALPHA = AdapterOptions.ALPHA.fixedAs("fixed to the rank (s = 1), as LoRA-SB's code; leave it out");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LoRA-SB (Ponkshe et al. 2024): frozen B, A and trainable R from the SVD of the first full-FT update estimate";
  }

  @Override
  public List<Option<?>> options() {
    List<Option<?>> all = new ArrayList<>(AdapterOptions.options(ALPHA));
    all.addAll(SvdChoice.OPTIONS);
    all.addAll(EstimationOptions.OPTIONS);
    return all;
  }

  @Override
  public LoraSbOptions readOptions(OptionReader reader) {
    AdapterOptions adapter = AdapterOptions.read(reader, true);
    if (adapter.alpha() != adapter.rank()) {
      throw reader.error(ALPHA, NAME + " fixes alpha = rank (s = 1) as its reference code does; got alpha "
          + text(adapter.alpha()) + " with rank " + adapter.rank() + " (leave alpha out)");
    }
    if (adapter.rslora()) {
      throw reader.error(AdapterOptions.RSLORA, NAME + " does not use rsLoRA (its scaling is fixed at s = 1)");
    }
    return new LoraSbOptions(adapter, SvdChoice.read(reader, REFERENCE_NITER, 0), EstimationOptions.read(reader, 50, 3));
  }

  private static String text(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.R);
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.MOVED;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, LoraSbOptions options) {
    return LatentSite.build(site, options.adapter());
  }

  @Override
  public Optional<GradientEstimation> gradientEstimation(LoraSbOptions options) {
    return Optional.of(options.estimation().plan(GradientRule.SUMMED, true));
  }

  /**
   * Ĝ = −η_eff·sign(G); truncated SVD Ĝ ≈ U_r Σ_r V_rᵀ; B = U_r, A = V_rᵀ (frozen), R = diag(Σ_r)
   * (trainable); W0 unchanged, so the model starts at W0 + s·B·R·A = W0 + Ĝ_r (s = 1).
   */
  @Override
  public SiteInit init(LoraSbOptions options, InitInputs in) {
    Matrix g = in.requireGradient();
    double eta = etaEff(in.plan(), options.estimation().batchSize());
    Svd.Result svd = Svd.compute(updateEstimate(g, eta), options.adapter().rank(), options.svd(), in.svdRandom());
    return SiteInit.of(svd.vt().toFloat(), svd.u().toFloat(), Matrix.diag(svd.s()).toFloat(), null);
  }

  /** η_eff divides by the warmup ratio: without warmup LoRA-SB has no first-step learning rate to scale its estimate by. */
  @Override
  public Optional<TrainSettingProblem> trainSettingProblem(double lr, double warmupRatio) {
    if (!(warmupRatio > 0)) {
      return Optional.of(new TrainSettingProblem("warmup_ratio", NAME + " initialises from the update estimate scaled by "
          + "eta_eff = lr / (warmup_ratio x estimation steps) (the first step's learning rate under linear warmup), so it needs "
          + "warmup_ratio > 0, got " + warmupRatio));
    }
    if (!(lr > 0)) {
      return Optional.of(new TrainSettingProblem("lr", NAME + " scales its update estimate by lr: it needs lr > 0"));
    }
    return Optional.empty();
  }

  /** η_eff of a cell's training plan, with T_est from the estimation batch size (see {@link #estimationSteps}). */
  static double etaEff(TrainingPlan plan, int estimationBatchSize) {
    if (plan == null) {
      throw new InvalidInputException((String) null, 0, "lr", NAME + " needs lr, warmup ratio and estimation steps"
          + " for eta_eff = lr / (warmup_ratio x estimation steps)");
    }
    return etaEff(plan.lr(), plan.warmupRatio(), estimationSteps(plan.trainExamples(), estimationBatchSize, plan.epochs()));
  }

  /**
   * T_est = len(estimation DataLoader) · epochs = ⌈training examples / estimation batch size⌉ ·
   * epochs (SB train_arithmetic.py L95–97: the loader over the whole training set with the
   * estimation batch size, not the optimizer's step count).
   */
  public static long estimationSteps(long trainingExamples, int estimationBatchSize, int epochs) {
    if (trainingExamples < 1 || estimationBatchSize < 1 || epochs < 1) {
      throw new IllegalArgumentException("training examples, batch size and epochs must be positive");
    }
    return ((trainingExamples + estimationBatchSize - 1) / estimationBatchSize) * epochs;
  }

  /** η_eff = lr / (warmup_ratio · T_est): the first-step learning rate of a linear warmup. */
  public static double etaEff(double lr, double warmupRatio, long estimationSteps) {
    if (!(lr > 0) || !(warmupRatio > 0) || estimationSteps < 1) {
      throw new InvalidInputException((String) null, 0, "eta_eff", NAME + " needs lr > 0, warmup_ratio > 0 and estimation steps >= 1 "
          + "(got lr " + lr + ", warmup_ratio " + warmupRatio + ", steps " + estimationSteps + ")");
    }
    return lr / (warmupRatio * estimationSteps);
  }

  /** Ĝ = −η_eff·sign(G), with sign(0) = 0. */
  public static Matrix updateEstimate(Matrix g, double etaEff) {
    Matrix u = Matrix.zeros(g.rows, g.cols);
    for (int i = 0; i < g.a.length; i++) {
      u.a[i] = -etaEff * Math.signum(g.a[i]);
    }
    return u;
  }

  @Override
  public long trainablePerMatrix(LoraSbOptions options, long m, long n, boolean bias) {
    int r = options.adapter().rank();
    return (long) r * r;
  }

  @Override
  public String trainableFormula() {
    return "r^2";
  }

  @Override
  public Optional<PeftConversion> peftConversion(LoraSbOptions options) {
    return Optional.of(PeftConversion.latentFolded(options.adapter()));
  }
}
