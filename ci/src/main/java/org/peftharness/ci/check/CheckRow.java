package org.peftharness.ci.check;

import org.peftharness.ci.baseline.BaselineEntry;

/**
 * One comparison. Numbers are on the baseline file's scale (the entry's {@code scale} applied), so
 * they read like the file.
 *
 * @param protocol the protocol compared (the entry's, or the results' when the entry names none)
 * @param measured the aggregate over seeds, or null when missing
 * @param n the number of finished seeds aggregated
 * @param tolerance the half-width of the accepted band, or null when missing
 * @param detail why: the band's make-up, or what is missing
 */
public record CheckRow(BaselineEntry entry, String protocol, Outcome outcome, Double measured, int n, Double measuredStd,
    Double tolerance, String detail) {
  public Double delta() {
    return measured == null ? null : measured - entry.value();
  }
}
