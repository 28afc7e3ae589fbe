package org.peftharness.methods.options;

import java.util.List;
import java.util.Map;
import org.peftharness.methods.linalg.Svd;

/**
 * The SVD options of an SVD-initialised method: {@code svd} = {@code exact} (TensorFlow, float64:
 * the noise-free limit of the references' randomized SVDs) or {@code randomized} (Halko's
 * algorithm, seeded), with {@code svd_niter} and {@code svd_oversample} only when randomized.
 * Each method passes its reference's iteration count and oversampling as the defaults.
 */
public final class SvdChoice {
  public static final Option<String> SVD = Option.text("svd", "'exact' (default) or 'randomized'");
  public static final Option<Integer> SVD_NITER = Option.integer("svd_niter",
      "power iterations of the randomized SVD (default: the method's reference)").require(n -> n >= 0, "0 or more");
  public static final Option<Integer> SVD_OVERSAMPLE = Option.integer("svd_oversample",
      "extra columns of the randomized SVD's test matrix (default: the method's reference)").require(n -> n >= 0, "0 or more");
  public static final List<Option<?>> OPTIONS = List.of(SVD, SVD_NITER, SVD_OVERSAMPLE);

  private SvdChoice() {}

  public static Svd.Options read(OptionReader r, int defaultNiter, int defaultOversample) {
    String mode = r.read(SVD, "exact");
    if (mode.equals("exact")) {
      if (r.has(SVD_NITER) || r.has(SVD_OVERSAMPLE)) {
        throw r.error(r.has(SVD_NITER) ? SVD_NITER : SVD_OVERSAMPLE, "applies only with svd: randomized");
      }
      return Svd.Options.EXACT;
    }
    if (mode.equals("randomized")) {
      return new Svd.Options(true, r.read(SVD_NITER, defaultNiter), r.read(SVD_OVERSAMPLE, defaultOversample));
    }
    throw r.error(SVD, "must be 'exact' or 'randomized', not '" + mode + "'");
  }

  public static void write(Svd.Options svd, Map<String, Object> canonical) {
    canonical.put(SVD.key(), svd.randomized() ? "randomized" : "exact");
    if (svd.randomized()) {
      canonical.put(SVD_NITER.key(), svd.niter());
      canonical.put(SVD_OVERSAMPLE.key(), svd.oversample());
    }
  }
}
