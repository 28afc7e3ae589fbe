package org.peftharness.methods.full;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * Full fine-tuning, explicit where PEFT leaves it implicit: no adapter; every linear map keeps
 * {@code y = x Wᵀ + b} with W and b trained, and the trainer trains every other model parameter too.
 */
public final class FullMethod implements FineTuningMethod<FullOptions> {
  public static final String NAME = "full";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "full fine-tuning: every weight and bias of the model is trained";
  }

  @Override
  public List<Option<?>> options() {
    return List.of();
  }

  @Override
  public FullOptions readOptions(OptionReader reader) {
    return new FullOptions();
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of(Role.WEIGHT, Role.BIAS);
  }

  @Override
  public boolean trainsWholeModel() {
    return true;
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, FullOptions options) {
    site.claimWeight(false);
    site.claimBias();
    return site.base();
  }

  @Override
  public SiteInit init(FullOptions options, InitInputs in) {
    return SiteInit.NONE;
  }

  @Override
  public long trainablePerMatrix(FullOptions options, long m, long n, boolean bias) {
    return m * n + (bias ? m : 0);
  }

  @Override
  public String trainableFormula() {
    return "m*n (+ m bias)";
  }

  @Override
  public Optional<PeftConversion> peftConversion(FullOptions options) {
    return Optional.empty();
  }
}
