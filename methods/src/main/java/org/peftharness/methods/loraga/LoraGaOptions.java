package org.peftharness.methods.loraga;

import java.util.Map;
import java.util.Optional;
import org.peftharness.methods.MethodOptions;
import org.peftharness.methods.linalg.Svd;
import org.peftharness.methods.options.AdapterOptions;
import org.peftharness.methods.options.EstimationOptions;
import org.peftharness.methods.options.Option;
import org.peftharness.methods.options.SvdChoice;

/**
 * LoRA-GA's options, with the defaults of the authors' fork (LoraGAConfig): direction ArB2r,
 * scale stable, gamma 16, 128 estimation samples in batches of 2, randomized SVD with 4
 * iterations and q = 4r.
 */
public record LoraGaOptions(AdapterOptions adapter, Svd.Options svd, Direction direction, Scale scale, double stableGamma,
    EstimationOptions estimation) implements MethodOptions {

  /** Which singular vectors of G become A and B. */
  public enum Direction implements Option.Choice {
    ArB2r("ArB2r"), A2rBr("A2rBr"), ArBr("ArBr"), RANDOM("random");

    private final String text;

    Direction(String text) {
      this.text = text;
    }

    @Override
    public String text() {
      return text;
    }
  }

  /** How A and B are scaled after selection. */
  public enum Scale implements Option.Choice {
    STABLE("stable"), GD("gd"), UNIT("unit"), WEIGHT_S("weightS");

    private final String text;

    Scale(String text) {
      this.text = text;
    }

    @Override
    public String text() {
      return text;
    }
  }

  public static final Option<Direction> DIRECTION = Option.choice("direction",
      "which singular vectors of G form A and B: ArB2r (default), A2rBr, ArBr or random", Direction.values());
  public static final Option<Scale> SCALE = Option.choice("scale",
      "how A and B are scaled: stable (default: m^(1/4)/sqrt(gamma)), gd, unit or weightS", Scale.values());
  public static final Option<Double> STABLE_GAMMA = Option.number("stable_gamma", "gamma of the stable scale (default 16)")
      .require(g -> g > 0 && !Double.isInfinite(g), "a positive finite number");

  @Override
  public Optional<AdapterOptions> adapterOptions() {
    return Optional.of(adapter);
  }

  @Override
  public void writeTo(Map<String, Object> canonical) {
    adapter.writeTo(canonical);
    SvdChoice.write(svd, canonical);
    canonical.put(DIRECTION.key(), direction.text());
    canonical.put(SCALE.key(), scale.text());
    canonical.put(STABLE_GAMMA.key(), stableGamma);
    estimation.writeTo(canonical);
  }
}
