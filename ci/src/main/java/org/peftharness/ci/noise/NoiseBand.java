package org.peftharness.ci.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.peftharness.ci.baseline.BaselineEntry;
import org.peftharness.results.stats.SeedStats;
import org.peftharness.results.stats.StudentT;

/**
 * The band within which a measured value may differ from its baseline by noise alone, at a
 * confidence level: critical value x the standard error of the difference. The error adds, as
 * independent variances, up to four parts (each on the baseline file's scale):
 *
 * <pre>
 * examples  the cells' example-level SE, as a root mean square over seeds: every seed is scored on
 *           the same examples, so their draw is shared and averaging seeds does not shrink it
 * seeds     the measured seeds' sample std / sqrt(k) with k >= 2 seeds (df k - 1); with one seed,
 *           the baseline's std as the spread of a single seed, when the file gives it
 * baseline  the baseline's std / sqrt(seeds) (df seeds - 1; the std counts as one seed's spread,
 *           known exactly, when the file gives no seeds)
 * baseline examples  sqrt(b(1 - b) / n) for a baseline accuracy b measured on n examples
 * </pre>
 *
 * The critical value is Student's t with the Welch-Satterthwaite degrees of freedom (Satterthwaite
 * 1946, Biometrics Bulletin 2:110) when a part is an estimated std, else the normal quantile. For
 * a median over seeds the mean's standard error stands in (the two agree at two seeds).
 *
 * @param exampleSe the measured cells' example-level part
 * @param seedSe the seed-level part (0 when unknown; {@code seedBasis} says why)
 * @param baselineSe the baseline's own parts together (0 when the file gives neither std nor n)
 * @param se the standard error of measured minus baseline
 * @param df the degrees of freedom of the t critical value; infinite for the normal one
 * @param critical the two-sided critical value at {@code confidence}
 * @param examples the example counts of the measured cells, e.g. "1000" or "277-280"
 * @param exampleBasis how the example-level part was obtained, in words
 * @param seedBasis how the seed-level part was obtained, in words
 * @param baselineBasis how the baseline's part was obtained, in words
 */
public record NoiseBand(double exampleSe, double seedSe, double baselineSe, double se, double df, double critical,
    double confidence, String examples, String exampleBasis, String seedBasis, String baselineBasis) {

  /**
   * Above this many degrees of freedom, t and the normal quantile differ by less than 1e-6, and
   * {@code StudentT}'s log-gamma differences start to lose digits; the normal quantile is used.
   */
  static final double NORMAL_ABOVE_DF = 1e7;

  /**
   * @param seedValues the measured seeds' values, on the file's scale
   * @param cells the seeds' example-level noise, on the harness's scale (one per seed)
   */
  public static NoiseBand of(BaselineEntry e, double[] seedValues, List<ExampleNoise> cells, double confidence) {
    double scale = e.scale();
    int k = seedValues.length;

    double meanSquare = 0;
    for (ExampleNoise c : cells) {
      meanSquare += c.se() * c.se();
    }
    double exampleSe = Math.sqrt(meanSquare / cells.size()) * scale;
    String exampleBasis = exampleBasis(cells);

    List<double[]> estimated = new ArrayList<>(); // {variance, df} of the parts that are estimated stds
    double seedSe;
    String seedBasis;
    if (k >= 2) {
      double std = SeedStats.of(seedValues).std();
      seedSe = std / Math.sqrt(k);
      estimated.add(new double[] {seedSe * seedSe, k - 1});
      seedBasis = "std " + num(std) + " over " + k + " seeds / sqrt " + k;
    } else if (e.std() != null) {
      seedSe = e.std();
      seedBasis = "1 seed; the baseline's std " + num(e.std()) + " as its spread";
    } else {
      seedSe = 0;
      seedBasis = "unknown with 1 seed and no baseline std: not counted";
    }

    double baselineSeedSe = 0;
    List<String> baselineParts = new ArrayList<>();
    if (e.std() != null) {
      int seeds = e.seeds() == null ? 1 : e.seeds();
      baselineSeedSe = e.std() / Math.sqrt(seeds);
      baselineParts.add(e.seeds() == null ? "std " + num(e.std()) + " as one seed's (no seeds given)"
          : "std " + num(e.std()) + " / sqrt " + seeds + " seeds");
      if (e.seeds() != null) {
        // one estimate of the std, so one part, even where it also stands in for a single measured seed's spread
        double fromStd = baselineSeedSe * baselineSeedSe + (k >= 2 ? 0 : seedSe * seedSe);
        estimated.add(new double[] {fromStd, seeds - 1});
      }
    }
    double baselineExampleSe = 0;
    if (e.examples() != null) {
      double b = e.expected();
      baselineExampleSe = Math.sqrt(b * (1 - b) / e.examples()) * scale;
      baselineParts.add("binomial on n " + e.examples());
    }
    double baselineSe = Math.sqrt(baselineSeedSe * baselineSeedSe + baselineExampleSe * baselineExampleSe);
    String baselineBasis = baselineParts.isEmpty() ? "taken as exact: the entry gives no std or n"
        : String.join(" + ", baselineParts);

    double variance = exampleSe * exampleSe + seedSe * seedSe + baselineSe * baselineSe;
    double df = welchDf(variance, estimated);
    double upper = 1 - (1 - confidence) / 2;
    double critical = df > NORMAL_ABOVE_DF ? Normal.quantile(upper) : StudentT.quantile(upper, df);
    return new NoiseBand(exampleSe, seedSe, baselineSe, Math.sqrt(variance), df, critical, confidence, examples(cells),
        exampleBasis, seedBasis, baselineBasis);
  }

  /** The half-width of the band: a difference larger than this is more than the noise explains. */
  public double band() {
    return critical * se;
  }

  /** "t, df 54.9" or "z". */
  public String distribution() {
    return df > NORMAL_ABOVE_DF ? "z" : "t, df " + String.format(Locale.ROOT, "%.1f", df);
  }

  /** "95%" or "99.5%". */
  public String level() {
    return percent(confidence);
  }

  /** The make-up of the band in words, for the detail column and JUnit messages. */
  public String describe() {
    return "SE " + num(se) + " from examples " + num(exampleSe) + " (" + exampleBasis + "), seeds " + num(seedSe) + " ("
        + seedBasis + "), baseline " + num(baselineSe) + " (" + baselineBasis + "); band " + String.format(Locale.ROOT,
            "%.3f", critical) + " x SE (" + distribution() + ", " + level() + " two-sided)";
  }

  /**
   * (Σ v)² / Σ (v² / df) over the estimated parts (Welch-Satterthwaite); the parts with no
   * estimated std (binomial and bootstrap errors) are taken as known and add nothing to the
   * denominator. Infinite when no part is estimated.
   */
  static double welchDf(double variance, List<double[]> estimated) {
    double denominator = 0;
    for (double[] part : estimated) {
      denominator += part[0] * part[0] / part[1];
    }
    return denominator > 0 ? variance * variance / denominator : Double.POSITIVE_INFINITY;
  }

  private static String exampleBasis(List<ExampleNoise> cells) {
    long fromVerdicts = cells.stream().filter(ExampleNoise::fromVerdicts).count();
    String how = cells.stream().filter(ExampleNoise::fromVerdicts).map(ExampleNoise::how).findFirst().orElse(null);
    if (fromVerdicts == cells.size()) {
      return how + ", verdicts of " + cells.size() + " cell(s)";
    }
    String why = cells.stream().map(ExampleNoise::notFromVerdicts).filter(Objects::nonNull).distinct()
        .reduce((a, b) -> a + "; " + b).orElse("");
    return "binomial from results.csv value and n for " + (cells.size() - fromVerdicts) + " of " + cells.size()
        + " cell(s), their verdicts not usable: " + why + (fromVerdicts > 0 ? "; " + how + " for the others" : "");
  }

  private static String examples(List<ExampleNoise> cells) {
    int min = cells.stream().mapToInt(ExampleNoise::examples).min().orElse(0);
    int max = cells.stream().mapToInt(ExampleNoise::examples).max().orElse(0);
    return min == max ? Integer.toString(min) : min + "-" + max;
  }

  static String percent(double confidence) {
    return String.format(Locale.ROOT, "%.4f", confidence * 100).replaceAll("0+$", "").replaceAll("\\.$", "") + "%";
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
