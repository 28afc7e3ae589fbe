package org.peftharness.methods.adapter;

import java.util.Set;
import org.peftharness.methods.Role;
import org.peftharness.methods.graph.LinearSite;
import org.peftharness.methods.graph.Nn;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * What a method's {@code adapt} gets for one targeted linear map: the map's input, weight and bias,
 * and the means to declare variables by role. A variable is trainable exactly when the method lists
 * its role among its trainable roles. Adapter variables live in the graph's {@code adapters}
 * sub-scope as {@code <module><suffix>}, each filled, like the model's weights, from a float32
 * placeholder through an assign op.
 */
public final class SiteBuilder<T extends TNumber> {
  private final AdapterSite record;
  private final Nn<T> nn;
  private final Operand<T> x;
  private final Operand<T> weight;
  private final Variable<?> storedWeight;
  private final Operand<T> bias;
  private final AdapterDropout dropout;
  private final Set<Role> trainable;
  private Ops scoped;

  SiteBuilder(AdapterSite record, Nn<T> nn, Operand<T> x, Operand<T> weight, Variable<?> storedWeight, Operand<T> bias,
      AdapterDropout dropout, Set<Role> trainable) {
    this.record = record;
    this.nn = nn;
    this.x = x;
    this.weight = weight;
    this.storedWeight = storedWeight;
    record.weight(weight, storedWeight != null && storedWeight.type() != nn.type ? storedWeight : weight);
    this.bias = bias;
    this.dropout = dropout;
    this.trainable = trainable;
  }

  public LinearSite site() {
    return record.site();
  }

  public Nn<T> nn() {
    return nn;
  }

  /** The plain map {@code x Wᵀ + b} with the model's own weight and bias. */
  public Operand<T> base() {
    return nn.linear(x, weight, bias);
  }

  /** The model's weight W of this map, m×n (DoRA reads it for its column norm). */
  public Operand<T> weight() {
    return weight;
  }

  /** The model's bias of this map, or null (DoRA scales the base output without it). */
  public Operand<T> bias() {
    return bias;
  }

  /**
   * Records the model's weight as this method uses it. {@code residual}: the method re-assigns it at
   * init (W_res of PiSSA and LoRA-GA), so it gets a feed and an assign op. The residual is stored
   * where the weight is, so in a bf16 model it is rounded to bfloat16 as the reference code stores
   * it in the base dtype (PiSSA's {@code self.weight.data = res.to(dtype)}, peft tuners/lora/layer.py
   * pissa_init).
   */
  public void claimWeight(boolean residual) {
    long[] shape = {site().outFeatures(), site().inFeatures()};
    if (!residual) {
      record.put(new AdapterVariable(site().weightName(), Role.WEIGHT, shape, weight, null, null, trainable.contains(Role.WEIGHT)));
      return;
    }
    Placeholder<TFloat32> feed = scoped().withName(site().module() + ".residual.feed")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    if (storedWeight == null) {
      throw new IllegalStateException(site().module() + ": a residual method needs the weight in a variable");
    }
    Op assign = assignCast(scoped().withName(site().module() + ".residual.assign"), storedWeight, feed);
    record.put(new AdapterVariable(site().weightName(), Role.WEIGHT, shape, numeric(storedWeight), feed, assign,
        trainable.contains(Role.WEIGHT)));
  }

  /** The stored weight is float32, float64 or bfloat16, all numbers. */
  @SuppressWarnings("unchecked")
  private static Operand<? extends TNumber> numeric(Variable<?> v) {
    return (Operand<? extends TNumber>) (Operand<?>) v;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Op assignCast(Ops tf, Variable v, Operand<TFloat32> value) {
    return tf.assign(v, tf.dtypes.cast(value, v.type()));
  }

  /** Records the model's bias, if the map has one. */
  public void claimBias() {
    if (bias != null) {
      record.put(new AdapterVariable(site().biasName(), Role.BIAS, new long[] {site().outFeatures()}, bias, null, null,
          trainable.contains(Role.BIAS)));
    }
  }

  /** Declares a variable of the method, named {@code <module><suffix>}. */
  public Variable<T> declare(Role role, String suffix, long... shape) {
    String name = site().module() + suffix;
    Variable<T> v = scoped().withName(name).variable(Shape.of(shape), nn.type);
    Placeholder<TFloat32> feed = scoped().withName(name + ".feed").placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    Op assign = scoped().withName(name + ".assign").assign(v, nn.cast(feed));
    record.put(new AdapterVariable(name, role, shape.clone(), v, feed, assign, trainable.contains(role)));
    return v;
  }

  /** The site's one {@code adapters} sub-scope, opened on first use (a second would be made unique as {@code adapters_1}). */
  private Ops scoped() {
    if (scoped == null) {
      scoped = nn.tf.withSubScope("adapters");
    }
    return scoped;
  }

  /** The adapter's input: x with the harness's dropout at {@code rate} (PEFT's lora_dropout), or x itself at rate 0. */
  public Operand<T> adapterInput(double rate) {
    return rate > 0 ? dropout.apply(site(), nn, x, rate) : x;
  }
}
