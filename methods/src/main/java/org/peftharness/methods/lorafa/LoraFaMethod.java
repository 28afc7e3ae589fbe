package org.peftharness.methods.lorafa;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

/** LoRA-FA (Zhang et al. 2023): LoRA with A frozen at its random init, and optionally PEFT's LoRA-FA optimizer. */
public final class LoraFaMethod implements FineTuningMethod<LoraFaOptions> {
  public static final String NAME = "lora-fa";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LoRA-FA (Zhang et al. 2023): LoRA with A frozen at its random init, only B trained (optional PEFT gradient correction)";
  }

  @Override
  public List<Option<?>> options() {
    List<Option<?>> all = new ArrayList<>(AdapterOptions.options(AdapterOptions.ALPHA));
    all.add(LoraFaOptions.CORRECTION);
    return all;
  }

  @Override
  public LoraFaOptions readOptions(OptionReader reader) {
    return new LoraFaOptions(AdapterOptions.read(reader, false), reader.read(LoraFaOptions.CORRECTION, true));
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.B);
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, LoraFaOptions options) {
    return LowRankSite.build(site, options.adapter(), false);
  }

  @Override
  public SiteInit init(LoraFaOptions options, InitInputs in) {
    return Kaiming.lora((int) in.w0().dim(0), (int) in.w0().dim(1), options.adapter().rank(), in.random());
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
    return Optional.of(PeftConversion.asIs(options.adapter()));
  }
}
