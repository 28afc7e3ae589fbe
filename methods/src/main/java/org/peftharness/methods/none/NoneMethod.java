package org.peftharness.methods.none;

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
 * The model as it is, before any fine-tuning: no adapter, no training step, nothing trainable.
 * Papers print this "base model" row beside the fine-tuned ones; a grid lists it as a method so
 * the same protocols score it.
 */
public final class NoneMethod implements FineTuningMethod<NoneOptions> {
  public static final String NAME = "none";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "no fine-tuning: the base model evaluated as it is (the papers' before row)";
  }

  @Override
  public List<Option<?>> options() {
    return List.of();
  }

  @Override
  public NoneOptions readOptions(OptionReader reader) {
    return new NoneOptions();
  }

  @Override
  public Set<Role> trainableRoles() {
    return Set.of();
  }

  @Override
  public boolean trainsNothing() {
    return true;
  }

  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL;
  }

  /** Never called: a method that trains nothing adapts no linear map. */
  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, NoneOptions options) {
    throw new IllegalStateException("'none' adapts no linear map, yet " + site + " was targeted");
  }

  @Override
  public SiteInit init(NoneOptions options, InitInputs in) {
    return SiteInit.NONE;
  }

  @Override
  public long trainablePerMatrix(NoneOptions options, long m, long n, boolean bias) {
    return 0;
  }

  @Override
  public String trainableFormula() {
    return "0";
  }

  @Override
  public Optional<PeftConversion> peftConversion(NoneOptions options) {
    return Optional.empty();
  }
}
