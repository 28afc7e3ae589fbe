package org.peftharness.reports;

import java.util.Comparator;
import org.peftharness.results.sweep.SweepPoint;

/**
 * The cells that make one row of a table before any choice among sweep points: one task (as
 * {@link ReportModel.TableKey#heading} names it), model, model selection, method, rank and sweep point.
 */
record TablePoint(String task, String model, String selection, String method, Integer rank, String sweep) {
  /** Rows in the order tables show them: method, rank (none first), sweep point. */
  static final Comparator<TablePoint> ORDER = Comparator.comparing(TablePoint::method)
      .thenComparing(TablePoint::rank, Comparator.nullsFirst(Integer::compareTo)).thenComparing(TablePoint::sweep);

  SweepPoint sweepPoint() {
    return SweepPoint.parse(sweep);
  }
}
