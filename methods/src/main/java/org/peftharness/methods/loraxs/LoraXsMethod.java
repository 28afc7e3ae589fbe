package org.peftharness.methods.loraxs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.LatentSite;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
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

/**
 * LoRA-XS (Balazy et al. 2024): the latent site with B, A from the truncated SVD of W0, frozen, and
 * only the r×r R trained. Alpha defaults to the rank (s = 1, its math scripts); its GLUE runs used 16.
 */
public final class LoraXsMethod implements FineTuningMethod<SvdAdapterOptions> {
  public static final String NAME = "lora-xs";
  /** R ~ N(0, sigma²), sigma = 1e-5 (XS initialization_utils.py L115–116). */
  public static final double R_STD = 1e-5;
  static final int REFERENCE_NITER = 10;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LoRA-XS (Balazy et al. 2024): frozen B = U_r, A = S_r V_r^T from the SVD of W0, trainable r x r R";
  }

  @Override
  public List<Option<?>> options() {
    List<Option<?>> all = new ArrayList<>(AdapterOptions.options(AdapterOptions.ALPHA));
    all.addAll(SvdChoice.OPTIONS);
    return all;
  }

  @Override
  public SvdAdapterOptions readOptions(OptionReader reader) {
    return new SvdAdapterOptions(AdapterOptions.read(reader, true), SvdChoice.read(reader, REFERENCE_NITER, 0));
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.R);
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.NEAR_BASE_MODEL;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, SvdAdapterOptions options) {
    return LatentSite.build(site, options.adapter());
  }

  /**
   * Truncated SVD of W0; B = U_r, A = Σ_r V_rᵀ (both frozen), R ~ N(0, 1e-10) from the site's
   * stream; W0 unchanged (XS initialization_utils.py).
   */
  @Override
  public SiteInit init(SvdAdapterOptions options, InitInputs in) {
    Matrix w0 = Matrix.of(in.w0());
    int r = options.adapter().rank();
    Svd.Result svd = Svd.compute(w0, r, options.svd(), in.svdRandom());
    Matrix b = svd.u();
    Matrix a = svd.vt().scaleRows(svd.s());
    float[] rr = new float[r * r];
    for (int i = 0; i < rr.length; i++) {
      rr[i] = (float) (R_STD * in.random().nextGaussian());
    }
    return SiteInit.of(a.toFloat(), b.toFloat(), new FloatTensor(new long[] {r, r}, rr), null);
  }

  @Override
  public long trainablePerMatrix(SvdAdapterOptions options, long m, long n, boolean bias) {
    int r = options.adapter().rank();
    return (long) r * r;
  }

  @Override
  public String trainableFormula() {
    return "r^2";
  }

  @Override
  public Optional<PeftConversion> peftConversion(SvdAdapterOptions options) {
    return Optional.of(PeftConversion.latentFolded(options.adapter()));
  }
}
