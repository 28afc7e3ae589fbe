package org.peftharness.methods.lora;

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
import org.peftharness.methods.init.Kaiming;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/** LoRA (Hu et al. 2021) as PEFT implements it, rsLoRA included: the low-rank site with PEFT's default init. */
public final class LoraMethod implements FineTuningMethod<AdapterOptions> {
  public static final String NAME = "lora";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "LoRA (Hu et al. 2021): trainable B·A beside frozen W0, kaiming-uniform A, B = 0; rsLoRA via use_rslora";
  }

  @Override
  public List<Option<?>> options() {
    return AdapterOptions.options(AdapterOptions.ALPHA);
  }

  @Override
  public AdapterOptions readOptions(OptionReader reader) {
    return AdapterOptions.read(reader, false);
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.A, Role.B);
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, AdapterOptions options) {
    return LowRankSite.build(site, options, false);
  }

  @Override
  public SiteInit init(AdapterOptions options, InitInputs in) {
    return Kaiming.lora((int) in.w0().dim(0), (int) in.w0().dim(1), options.rank(), in.random());
  }

  @Override
  public long trainablePerMatrix(AdapterOptions options, long m, long n, boolean bias) {
    return (long) options.rank() * n + m * options.rank();
  }

  @Override
  public String trainableFormula() {
    return "r(m+n)";
  }

  @Override
  public Optional<PeftConversion> peftConversion(AdapterOptions options) {
    return Optional.of(PeftConversion.asIs(options));
  }
}
