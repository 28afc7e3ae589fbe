package org.peftharness.methods.dora;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.peftharness.core.tensor.FloatTensor;
import org.peftharness.methods.FineTuningMethod;
import org.peftharness.methods.Role;
import org.peftharness.methods.StartingPoint;
import org.peftharness.methods.adapter.SiteBuilder;
import org.peftharness.methods.export.PeftConversion;
import org.peftharness.methods.init.InitInputs;
import org.peftharness.methods.init.Kaiming;
import org.peftharness.methods.init.SiteInit;
import org.peftharness.methods.linalg.Matrix;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.OptionReader;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TNumber;

/**
 * DoRA (Liu et al. 2024) as PEFT implements it ({@code use_dora=True}; tuners/lora/dora.py
 * DoraLinearLayer, tuners/lora/variants.py DoraLinearVariant): LoRA's A and B plus a trainable
 * magnitude m, one per output feature, and the weight {@code m / ‖W0 + s·B·A‖_row ⊙ (W0 + s·B·A)}.
 */
public final class DoraMethod implements FineTuningMethod<AdapterOptions> {
  public static final String NAME = "dora";
  /** The magnitude vector m (PEFT's {@code lora_magnitude_vector}), one entry per output feature. */
  public static final Role MAGNITUDE = new Role("m");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DoRA (Liu et al. 2024): LoRA's B·A as direction, trainable magnitude m = ||W0||_row, weight m/||W0 + s·B·A||_row ⊙ (W0 + s·B·A)";
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
    return Set.of(Role.A, Role.B, MAGNITUDE);
  }

  /** m is ‖W0‖_row rounded to float32 and the forward divides it by ‖W0‖_row in float32: the ratio is 1 up to rounding. */
  @Override
  public StartingPoint startingPoint() {
    return StartingPoint.BASE_MODEL_UP_TO_ROUNDING;
  }

  @Override
  public <T extends TNumber> Operand<T> adapt(SiteBuilder<T> site, AdapterOptions options) {
    return DoraSite.build(site, options);
  }

  /**
   * LoRA's init first (tuners/lora/layer.py update_layer L312 reset_lora_parameters: kaiming-uniform
   * A, B = 0), then the variant's (L317; variants.py DoraLinearVariant.init L140-167, dora.py
   * update_layer L101-130): m = ‖W0 + s·B·A‖_row, which with B = 0 is ‖W0‖_row; float64, rounded once.
   */
  @Override
  public SiteInit init(AdapterOptions options, InitInputs in) {
    SiteInit lora = Kaiming.lora((int) in.w0().dim(0), (int) in.w0().dim(1), options.rank(), in.random());
    double[] norms = Matrix.of(in.w0()).plus(Matrix.of(lora.b()).mul(Matrix.of(lora.a())).scale(options.scaling())).rowNorms();
    float[] m = new float[norms.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) norms[i];
    }
    Map<Role, FloatTensor> t = new LinkedHashMap<>(lora.tensors());
    t.put(MAGNITUDE, new FloatTensor(new long[] {m.length}, m));
    return new SiteInit(t);
  }

  @Override
  public long trainablePerMatrix(AdapterOptions options, long m, long n, boolean bias) {
    return (long) options.rank() * n + m * options.rank() + m;
  }

  @Override
  public String trainableFormula() {
    return "r(m+n)+m";
  }

  @Override
  public Optional<PeftConversion> peftConversion(AdapterOptions options) {
    return Optional.of(PeftConversion.dora(options, MAGNITUDE));
  }
}
