package org.peftharness.results.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.peftharness.results.stats.PairedVerdict.Verdict;

/**
 * Is method A better than method B on this task? The paired bootstrap over examples (Efron and
 * Tibshirani 1993 §16; Koehn 2004, "Statistical significance tests for machine translation
 * evaluation"): each resample draws n example positions with replacement, the same draw for both
 * methods and for every seed, and computes the mean over seeds of A's metric minus B's. Pairing
 * removes what the two share (which examples are hard), so it sees differences that two separate
 * intervals hide. A is "better" when the 95% percentile interval of the difference lies wholly on
 * the better side of zero, "worse" when wholly on the other, and otherwise the data cannot tell.
 *
 * <p>It answers "do these trained models differ on examples like these", with the seeds they
 * were trained with; the spread between trainings is in the seed-level interval, not here.
 * Same {@link Bootstrap#RESAMPLES} and {@link Bootstrap#SEED} as the single-cell errors.
 */
public final class PairedBootstrap {
  private PairedBootstrap() {}

  /**
   * One seed of both methods, as metrics over the same {@code n} shared examples: position i in A's
   * metric is the same example as position i in B's.
   */
  public record SeedPair(long seed, ResampledMetric a, ResampledMetric b) {}

  /**
   * @param examples n, the examples every pair shares
   * @param higherIsBetter the metric's direction, which says which side of zero is "better"
   */
  public static PairedVerdict compare(int examples, List<SeedPair> pairs, boolean higherIsBetter) {
    if (examples <= 0 || pairs.isEmpty()) {
      throw new IllegalArgumentException("nothing to compare: " + pairs.size() + " seeds, " + examples + " examples");
    }
    double observed = meanDifference(pairs, ResampledMetric.all(examples));
    Random rng = new Random(Bootstrap.SEED);
    double[] reps = new double[Bootstrap.RESAMPLES];
    int kept = 0;
    int[] positions = new int[examples];
    for (int r = 0; r < Bootstrap.RESAMPLES; r++) {
      Bootstrap.draw(rng, positions, examples);
      double d = meanDifference(pairs, positions);
      if (!Double.isNaN(d)) {
        reps[kept++] = d;
      }
    }
    if (kept < 2) {
      return new PairedVerdict(Verdict.CANNOT_TELL, observed, Double.NaN, Double.NaN, pairs.size(), examples, kept);
    }
    double[] used = Arrays.copyOf(reps, kept);
    Arrays.sort(used);
    double low = Bootstrap.percentile(used, 0.025);
    double high = Bootstrap.percentile(used, 0.975);
    Verdict v;
    if (low > 0) {
      v = higherIsBetter ? Verdict.BETTER : Verdict.WORSE;
    } else if (high < 0) {
      v = higherIsBetter ? Verdict.WORSE : Verdict.BETTER;
    } else {
      v = Verdict.CANNOT_TELL;
    }
    return new PairedVerdict(v, observed, low, high, pairs.size(), examples, kept);
  }

  private static double meanDifference(List<SeedPair> pairs, int[] positions) {
    double sum = 0;
    for (SeedPair p : pairs) {
      sum += p.a().value(positions) - p.b().value(positions);
    }
    return sum / pairs.size();
  }
}
