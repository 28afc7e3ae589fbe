package org.peftharness.methods.lorafa;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.InvalidInputException;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.adapter.LowRankSite;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Kaiming;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * LoRA-FA (Zhang et al. 2023): LoRA with A frozen at its init, and optionally PEFT's LoRA-FA
 * optimizer. The init is LoRA's random one, or one of the two SVD starts of {@link SvdInits}.
 */
public final class LoraFaMethod implements FineTuningMethod<LoraFaOptions> {
  public static final String NAME = "lora-fa";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LoRA-FA (Zhang et al. 2023): LoRA with A frozen at its init (random; or svd-lorafa's SVD init: init seed-svd,"
        + " svd-residual), only B trained (optional PEFT gradient correction)";
  }

  @Override
  public List<Option<?>> options() {
    List<Option<?>> all = new ArrayList<>(AdapterOptions.options(AdapterOptions.ALPHA));
    all.add(LoraFaOptions.CORRECTION);
    all.add(LoraFaOptions.INIT);
    return all;
  }

  @Override
  public LoraFaOptions readOptions(OptionReader reader) {
    return new LoraFaOptions(AdapterOptions.read(reader, false), reader.read(LoraFaOptions.CORRECTION, true),
        reader.read(LoraFaOptions.INIT, LoraFaInit.RANDOM));
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.B);
  }

  @Override
  public StartingPoint startingPoint() {
    return LoraFaInit.RANDOM.startingPoint();
  }

  @Override
  public StartingPoint startingPoint(LoraFaOptions options) {
    return options.init().startingPoint();
  }

  /** seed-svd's A = (U_r S_r)ᵀ and B = Vh[:, :r] fit only a square W (every method's rank <= min(m, n) is checked by MethodConfig). */
  @Override
  public void checkShape(LoraFaOptions options, String module, long m, long n) {
    if (options.init() == LoraFaInit.SEED_SVD && m != n) {
      throw new InvalidInputException((String) null, 0, LoraFaOptions.INIT.key(), "lora-fa init seed-svd is defined for "
          + "square matrices only (svd-lorafa adapts the attention's query, key, value and attention.output.dense), but "
          + module + " is " + m + "x" + n + "; set target_modules to square layers");
    }
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, LoraFaOptions options) {
    return LowRankSite.build(site, options.adapter(), options.init().residual());
  }

  @Override
  public SiteInit init(LoraFaOptions options, InitInputs in) {
    int r = options.adapter().rank();
    return switch (options.init()) {
      case RANDOM -> Kaiming.lora((int) in.w0().dim(0), (int) in.w0().dim(1), r, in.random());
      case SEED_SVD -> SvdInits.seedSvd(in.w0(), r);
      case SVD_RESIDUAL -> SvdInits.svdResidual(in.w0(), r, options.adapter().scaling());
    };
  }

  @Override
  public Optional<GradientTransform> gradientTransform(LoraFaOptions options, Ops tf, List<AdapterSite> sites) {
    return options.correction()
        ? Optional.of(new LoraFaCorrection(tf, sites, options.adapter().scaling()))
        : Optional.empty();
  }

  @Override
  public long trainablePerMatrix(LoraFaOptions options, long m, long n, boolean bias) {
    return m * options.adapter().rank();
  }

  @Override
  public String trainableFormula() {
    return "r*m";
  }

  @Override
  public Optional<PeftConversion> peftConversion(LoraFaOptions options) {
    // seed-svd keeps W0, so y = W0 x + s·B·A x is plain LoRA; svd-residual exports as PiSSA does (rank 2r on W0)
    return Optional.of(options.init().residual()
        ? PeftConversion.residualDoubled(options.adapter())
        : PeftConversion.asIs(options.adapter()));
  }
}
