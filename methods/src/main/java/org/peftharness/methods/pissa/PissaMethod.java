package org.peftharness.methods.pissa;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.LowRankSite;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Residual;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.linalg.Svd;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.peftharness.methods.options.SvdAdapterOptions;
import org.peftharness.methods.options.SvdChoice;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** PiSSA (Meng et al. 2024): the low-rank site on a residual base, initialised from the principal singular triplets of W0. */
public final class PissaMethod implements FineTuningMethod<SvdAdapterOptions> {
  public static final String NAME = "pissa";
  /** PEFT's pissa_niter_16: the randomized SVD's iterations. */
  static final int REFERENCE_NITER = 16;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "PiSSA (Meng et al. 2024): A, B from the principal singular triplets of W0, residual base";
  }

  @Override
  public List<Option<?>> options() {
    List<Option<?>> all = new ArrayList<>(AdapterOptions.options(AdapterOptions.ALPHA));
    all.addAll(SvdChoice.OPTIONS);
    return all;
  }

  @Override
  public SvdAdapterOptions readOptions(OptionReader reader) {
    return new SvdAdapterOptions(AdapterOptions.read(reader, false), SvdChoice.read(reader, REFERENCE_NITER, 0));
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.A, Role.B);
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL_UP_TO_ROUNDING;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, SvdAdapterOptions options) {
    return LowRankSite.build(site, options.adapter(), true);
  }

  /**
   * PEFT {@code pissa_init} (tuners/lora/layer.py): W0 = U Σ Vᵀ, Σ̃ = Σ_r / s,
   * A = diag(√Σ̃) V_rᵀ, B = U_r diag(√Σ̃), W_res = W0 − s·B·A.
   */
  @Override
  public SiteInit init(SvdAdapterOptions options, InitInputs in) {
    Matrix w0 = Matrix.of(in.w0());
    int r = options.adapter().rank();
    double s = options.adapter().scaling();
    Svd.Result svd = Svd.compute(w0, r, options.svd(), in.svdRandom());
    double[] root = new double[r];
    for (int i = 0; i < r; i++) {
      root[i] = Math.sqrt(svd.s()[i] / s);
    }
    return Residual.of(w0, svd.vt().scaleRows(root), svd.u().scaleCols(root), s);
  }

  @Override
  public long trainablePerMatrix(SvdAdapterOptions options, long m, long n, boolean bias) {
    int r = options.adapter().rank();
    return (long) r * n + m * r;
  }

  @Override
  public String trainableFormula() {
    return "r(m+n)";
  }

  @Override
  public Optional<PeftConversion> peftConversion(SvdAdapterOptions options) {
    return Optional.of(PeftConversion.residualDoubled(options.adapter()));
  }
}
