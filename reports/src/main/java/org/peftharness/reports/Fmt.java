package org.peftharness.reports;

import java.util.Locale;
import org.peftharness.reports.ReportModel.ExampleLevel;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.results.stats.SeedStats;

/** Fixed number formats (locale-independent) so reports diff cleanly between runs and machines. */
public final class Fmt {
  private Fmt() {}

  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** A difference with its sign always written ("+0.0120", "-0.0000" for a tiny negative one), so rounding never hides it. */
  public static String signed(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%+.4f", v);
  }

  public static String params(Long p) {
    return p == null ? "-" : String.format(Locale.ROOT, "%,d", p);
  }

  public static String meanStd(SeedStats s) {
    if (s == null) {
      return "-";
    }
    return s.hasSpread() ? num(s.mean()) + " ± " + num(s.std()) : num(s.mean());
  }

  public static String ci(SeedStats s) {
    return s == null || !s.hasSpread() ? "-" : interval(s.ciLow(), s.ciHigh());
  }

  public static String interval(double low, double high) {
    return Double.isNaN(low) || Double.isNaN(high) ? "-" : "[" + num(low) + ", " + num(high) + "]";
  }

  /** A p-value: four decimals, "<0.0001" below that, so a tiny p never reads as zero. */
  public static String p(double v) {
    return v < 0.0001 ? "<0.0001" : num(v);
  }

  /** A row's example-level SE, with how many of its seeds it rests on when not all. */
  public static String exampleSe(Row r) {
    ExampleLevel e = r.examples();
    if (e.errors().isEmpty()) {
      return "-";
    }
    int seeds = r.stats() == null ? 0 : r.stats().n();
    return num(e.se()) + (e.errors().size() < seeds ? " (" + e.errors().size() + " of " + seeds + " seeds)" : "");
  }

  /** The note column: best, below-noise, unknown noise, failures. */
  public static String note(Row r, Row best) {
    StringBuilder sb = new StringBuilder();
    if (r.best()) {
      sb.append("best");
    } else if (r.withinNoise()) {
      sb.append("within seed noise of best (95% CIs overlap)");
    } else if (r.stats() != null && best != null && !r.stats().hasSpread()) {
      sb.append("one seed: noise unknown");
    } else if (r.stats() != null && best != null && !best.stats().hasSpread()) {
      sb.append("the best has one seed: noise unknown");
    }
    if (r.failed() > 0) {
      sb.append(sb.length() > 0 ? "; " : "").append(r.failed()).append(" failed");
    }
    if (r.cancelled() > 0) {
      sb.append(sb.length() > 0 ? "; " : "").append(r.cancelled()).append(" cancelled");
    }
    if (r.stats() == null) {
      sb.append(sb.length() > 0 ? "; " : "").append("no finished seed");
    }
    return sb.toString();
  }
}
