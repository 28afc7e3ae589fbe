package org.peftharness.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.peftharness.reports.ReportModel.LearningRate;
import org.peftharness.reports.ReportModel.LossChart;
import org.peftharness.reports.ReportModel.LossSeries;
import org.peftharness.reports.ReportModel.Row;
import org.peftharness.reports.ReportModel.Sensitivity;
import org.peftharness.reports.ReportModel.SensitivitySeries;
import org.peftharness.reports.ReportModel.Table;
import org.peftharness.results.baseline.ReferencePoint;

/**
 * The report's plots, drawn with XChart and encoded as PNG (embedded in the HTML) and SVG (for
 * papers). Colours are fixed per method across every plot of a report, so "lora" is the same
 * colour in the metric plot and the loss plot.
 */
public final class Charts {
  public static final int WIDTH = 960;
  public static final int HEIGHT = 560;

  /** Tableau 10: distinguishable, and readable for the common colour-vision deficiencies. */
  private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
      new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
      new Color(0x9C755F), new Color(0xBAB0AC)};
  private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
      SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE,
      SeriesMarkers.TRAPEZOID};
  private static final BasicStroke[] RANK_LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
      SeriesLines.DASH_DOT};

  /** An encoded plot. */
  public record Plot(String name, byte[] png, byte[] svg) {}

  private final Map<String, Integer> methodIndex = new TreeMap<>();

  /** @param methods every method of the report; fixes each one's colour and marker */
  public Charts(List<String> methods) {
    methods.stream().sorted().distinct().forEach(m -> methodIndex.put(m, methodIndex.size()));
  }

  private Color color(String method) {
    return PALETTE[methodIndex.getOrDefault(method, 0) % PALETTE.length];
  }

  private Marker marker(String method) {
    return MARKERS[methodIndex.getOrDefault(method, 0) % MARKERS.length];
  }

  /** Metric against trainable parameters (log x), one series per method, the Pareto front and paper points. */
  public Plot metricPlot(Table t) throws IOException {
    XYChart chart = base(t.key().heading() + " on " + t.key().model() + ": " + t.key().title(),
        "trainable parameters (log scale)", t.key().metric() + " (mean over seeds, bars: std)");
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    chart.getStyler().setXAxisDecimalPattern("0.#E0");
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = 0;
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = Double.NEGATIVE_INFINITY;

    Map<String, List<Row>> byMethod = new TreeMap<>();
    for (Row r : t.rows()) {
      if (r.stats() != null && r.trainableParams() != null && r.trainableParams() > 0) {
        byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<Row>> e : byMethod.entrySet()) {
      List<Row> rows = e.getValue();
      double[] x = new double[rows.size()];
      double[] y = new double[rows.size()];
      double[] err = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        x[i] = r.trainableParams();
        y[i] = r.stats().mean();
        err[i] = r.stats().hasSpread() ? r.stats().std() : 0;
        xmin = Math.min(xmin, x[i]);
        xmax = Math.max(xmax, x[i]);
        ymin = Math.min(ymin, y[i] - err[i]);
        ymax = Math.max(ymax, y[i] + err[i]);
      }
      XYSeries s = chart.addSeries(e.getKey(), x, y, err);
      s.setMarker(marker(e.getKey()));
      s.setMarkerColor(color(e.getKey()));
      s.setLineColor(color(e.getKey()));
    }
    List<Row> front = t.rows().stream().filter(Row::pareto)
        .sorted(Comparator.comparingLong(Row::trainableParams)).toList();
    if (!front.isEmpty()) {
      XYSeries s = chart.addSeries("Pareto front", front.stream().mapToDouble(r -> r.trainableParams()).toArray(),
          front.stream().mapToDouble(r -> r.stats().mean()).toArray());
      s.setXYSeriesRenderStyle(front.size() > 1 ? XYSeriesRenderStyle.Line : XYSeriesRenderStyle.Scatter);
      s.setLineStyle(SeriesLines.DASH_DASH);
      s.setLineColor(Color.DARK_GRAY);
      // a line alone hides no method's marker; a one-point front needs a marker to be seen at all
      s.setMarker(front.size() > 1 ? SeriesMarkers.NONE : SeriesMarkers.OVAL);
      s.setMarkerColor(Color.DARK_GRAY);
    }
    Map<String, List<ReferencePoint>> paper = new TreeMap<>();
    for (ReferencePoint p : t.references()) {
      if (p.trainableParams() != null && p.trainableParams() > 0) {
        paper.computeIfAbsent(p.method() + (p.verified() ? "" : " (UNVERIFIED)"), k -> new ArrayList<>()).add(p);
      }
    }
    for (Map.Entry<String, List<ReferencePoint>> e : paper.entrySet()) {
      List<ReferencePoint> ps = e.getValue();
      double[] x = ps.stream().mapToDouble(p -> p.trainableParams()).toArray();
      double[] y = ps.stream().mapToDouble(ReferencePoint::value).toArray();
      for (int i = 0; i < x.length; i++) {
        xmin = Math.min(xmin, x[i]);
        xmax = Math.max(xmax, x[i]);
        ymin = Math.min(ymin, y[i]);
        ymax = Math.max(ymax, y[i]);
      }
      XYSeries s = chart.addSeries("paper-reported: " + e.getKey(), x, y);
      String method = ps.get(0).method();
      s.setMarker(SeriesMarkers.CROSS);
      s.setMarkerColor(methodIndex.containsKey(method) ? color(method) : Color.BLACK);
    }
    if (xmax > 0) {
      chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(xmin / 1.3))));
      chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(xmax * 1.3))));
      // a floor on the pad: equal values (every cell at 0, say) would leave XChart a range of nothing to tick
      double pad = Math.max((ymax - ymin) * 0.08, Math.max(Math.abs(ymax) * 0.005, 0.005));
      chart.getStyler().setYAxisMin(ymin - pad);
      chart.getStyler().setYAxisMax(ymax + pad);
    } else {
      chart.addSeries("no points with a trainable-parameter count", new double[] {1}, new double[] {0})
          .setMarker(SeriesMarkers.NONE);
    }
    return encode(t.plotName(), chart);
  }

  /**
   * Score against learning rate (log x), per method, rank and rest of the sweep point: the reported
   * split solid, validation dashed in the same colour, the rates chosen on validation as black crosses.
   */
  public Plot sensitivityPlot(Table t) throws IOException {
    Sensitivity sens = t.sensitivity();
    XYChart chart = base(t.key().heading() + " on " + t.key().model() + ": " + t.key().title(), "learning rate (log scale)",
        t.key().metric() + " (mean over seeds)");
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    chart.getStyler().setXAxisDecimalPattern("0.#E0");
    double[] lrs = sens.lrs().stream().mapToDouble(LearningRate::value).toArray();
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = Double.NEGATIVE_INFINITY;
    List<double[]> chosen = new ArrayList<>();
    Map<String, Integer> seriesOfMethod = new TreeMap<>();
    for (SensitivitySeries s : sens.series()) {
      int k = seriesOfMethod.merge(s.method(), 1, Integer::sum) - 1;
      Marker marker = MARKERS[(methodIndex.getOrDefault(s.method(), 0) + k) % MARKERS.length];
      for (boolean validation : new boolean[] {false, true}) {
        List<Double> ys = validation ? s.validation() : s.reported();
        List<double[]> xy = new ArrayList<>();
        for (int i = 0; i < lrs.length; i++) {
          if (!Double.isNaN(ys.get(i))) {
            xy.add(new double[] {lrs[i], ys.get(i)});
            ymin = Math.min(ymin, ys.get(i));
            ymax = Math.max(ymax, ys.get(i));
          }
        }
        if (xy.isEmpty()) {
          continue;
        }
        XYSeries xs = chart.addSeries(s.label() + (validation ? " (validation)" : " (reported)"),
            xy.stream().mapToDouble(p -> p[0]).toArray(), xy.stream().mapToDouble(p -> p[1]).toArray());
        xs.setLineColor(color(s.method()));
        xs.setMarkerColor(color(s.method()));
        xs.setLineStyle(validation ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
        xs.setMarker(validation ? SeriesMarkers.NONE : marker);
      }
      if (s.chosen() >= 0 && !Double.isNaN(s.reported().get(s.chosen()))) {
        chosen.add(new double[] {lrs[s.chosen()], s.reported().get(s.chosen())});
      }
    }
    if (!chosen.isEmpty()) {
      XYSeries xs = chart.addSeries("chosen on validation", chosen.stream().mapToDouble(p -> p[0]).toArray(),
          chosen.stream().mapToDouble(p -> p[1]).toArray());
      xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      xs.setMarker(SeriesMarkers.CROSS);
      xs.setMarkerColor(Color.BLACK);
    }
    if (ymax >= ymin) {
      chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(lrs[0] / 1.3))));
      chart.getStyler().setXAxisMax(Math.pow(10, Math.ceil(Math.log10(lrs[lrs.length - 1] * 1.3))));
      double pad = Math.max((ymax - ymin) * 0.08, Math.max(Math.abs(ymax) * 0.005, 0.005));
      chart.getStyler().setYAxisMin(ymin - pad);
      chart.getStyler().setYAxisMax(ymax + pad);
    } else {
      chart.addSeries("no finished seed at any learning rate", new double[] {lrs[0]}, new double[] {0})
          .setMarker(SeriesMarkers.NONE);
    }
    return encode(sens.plotName(), chart);
  }

  /** Training loss against step, one line per method x rank (colour: method; dash: rank). */
  public Plot lossPlot(LossChart c) throws IOException {
    XYChart chart = base("training loss: " + c.task() + " on " + c.model(), "step", "loss");
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    Map<String, Integer> rankOfMethod = new TreeMap<>();
    for (LossSeries s : c.series()) {
      int k = rankOfMethod.merge(s.method(), 1, Integer::sum) - 1;
      XYSeries xs = chart.addSeries(s.label(), s.steps().stream().mapToDouble(Long::doubleValue).toArray(),
          s.loss().stream().mapToDouble(Double::doubleValue).toArray());
      xs.setLineColor(color(s.method()));
      xs.setLineStyle(RANK_LINES[k % RANK_LINES.length]);
      xs.setMarker(SeriesMarkers.NONE);
    }
    return encode(c.plotName(), chart);
  }

  private static XYChart base(String title, String x, String y) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
    chart.getStyler().setMarkerSize(9);
    chart.getStyler().setAntiAlias(true);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setYAxisDecimalPattern("0.000");
    return chart;
  }

  private static Plot encode(String name, XYChart chart) throws IOException {
    // ChartEncoder picks the writer by format: ImageIO for PNG, VectorGraphics2D for SVG
    return new Plot(name, ChartEncoder.getBytes(chart, "png"), ChartEncoder.getBytes(chart, "svg"));
  }
}
