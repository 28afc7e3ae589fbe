package org.peftharness.methods;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.peftharness.methods.adapter.AdapterSite;
import org.peftharness.methods.adapter.GradientTransform;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.estimate.GradientEstimation;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * A fine-tuning method, one package each (as PEFT has one tuner package per method): its name
 * and options, how it parametrises a targeted linear map, how it initialises it (with any
 * gradient pre-pass), what it changes on the optimizer side, how many parameters it trains, and
 * how it becomes a stock PEFT adapter. Implementations are stateless; per-cell choices live in
 * the options record {@code O}. Adding a method is its package plus one line in
 * {@link MethodRegistry}, and the registry-driven contract tests then cover it.
 *
 * @param <O> the method's resolved options
 */
public interface FineTuningMethod<O extends MethodOptions> {
  /** The registry name: lowercase, as grid files write it. */
  String name();

  /** One line for {@code harness ls methods}: the method, its paper, what it trains. */
  String description();

  /** Every option the method takes, in canonical order, each with its help line. */
  List<Option<?>> options();

  /** Whether the method takes the option of that key. */
  default boolean takesOption(String key) {
    return options().stream().anyMatch(o -> o.key().equals(key));
  }

  /** Reads and checks the options, filling defaults. */
  O readOptions(OptionReader reader);

  /** The roles of the variables the optimizer updates. */
  Set<Role> trainableRoles();

  /**
   * What the method cannot start from in these training settings, as the grid names it (setting
   * key and problem), checked at plan time so a grid fails at {@code validate}, not hours in.
   */
  default Optional<TrainSettingProblem> trainSettingProblem(double lr, double warmupRatio) {
    return Optional.empty();
  }

  /** A train setting the method cannot take, by the grid's key. */
  record TrainSettingProblem(String key, String problem) {}

  /** Full fine-tuning: every parameter of the model is trained and no linear map gets an adapter. */
  default boolean trainsWholeModel() {
    return false;
  }

  /** No training at all: the base model is evaluated as it is ({@code none}); no linear map is adapted. */
  default boolean trainsNothing() {
    return false;
  }

  /** Where the model stands after {@link #init} with default options, relative to the base model. */
  StartingPoint startingPoint();

  /** Where the model stands after {@link #init} with these options (LoRA-FA's inits differ). */
  default StartingPoint startingPoint(O options) {
    return startingPoint();
  }

  /**
   * Rejects options the shape of one targeted m×n matrix cannot hold beyond the rule every adapter
   * obeys (rank <= min(m, n), checked by {@link MethodConfig#checkShape}): LoRA-GA's 2·rank, LoRA-FA
   * seed-svd's square matrices; an input error naming the module.
   */
  default void checkShape(O options, String module, long m, long n) {}

  /** Parametrises one targeted linear map: declares its variables through {@code site} and returns y. */
  <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, O options);

  /** The gradient pre-pass the initialisation needs (LoRA-GA, LoRA-SB), if any. */
  default Optional<GradientEstimation> gradientEstimation(O options) {
    return Optional.empty();
  }

  /** The initial tensors of one site (host math). */
  SiteInit init(O options, InitInputs in);

  /**
   * An optimizer-side transform over the initialised sites (LoRA-FA's gradient correction), built
   * into the graph with {@code tf}; empty for most methods.
   */
  default Optional<GradientTransform> gradientTransform(O options, Ops tf, List<AdapterSite> sites) {
    return Optional.empty();
  }

  /** Trainable parameters of one adapted m×n matrix ({@code bias}: whether the map has one). */
  long trainablePerMatrix(O options, long m, long n, boolean bias);

  /** {@link #trainablePerMatrix} as text for listings, e.g. {@code r(m+n)}. */
  String trainableFormula();

  /** How trained sites become a stock PEFT LoRA adapter on the unmodified base; empty where there is no adapter. */
  Optional<PeftConversion> peftConversion(O options);
}
