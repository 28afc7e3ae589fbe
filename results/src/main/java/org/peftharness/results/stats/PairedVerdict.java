package org.peftharness.results.stats;

/**
 * The outcome of a paired comparison of method A against method B on the same examples and seeds.
 *
 * @param difference A's metric minus B's on the shared examples, averaged over the shared seeds
 * @param low 2.5th percentile of the bootstrap difference
 * @param high 97.5th percentile of the bootstrap difference
 * @param seeds how many seeds both methods finished with per-example data
 * @param examples how many examples both methods were evaluated on in every one of those seeds
 * @param resamples bootstrap resamples the interval rests on (undefined ones left out)
 */
public record PairedVerdict(Verdict verdict, double difference, double low, double high, int seeds, int examples,
    int resamples) {

  /** The verdict in words, from A's side. */
  public enum Verdict {
    BETTER("better"),
    WORSE("worse"),
    CANNOT_TELL("cannot tell at 95%");

    private final String words;

    Verdict(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /** e.g. "worse (2 seeds × 1000 examples)". */
  public String sentence() {
    return verdict.words() + " (" + seeds + (seeds == 1 ? " seed" : " seeds") + " × " + examples + " examples)";
  }
}
