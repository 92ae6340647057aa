package io.remoteclip.eval.benchmark;

import io.remoteclip.fs.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts of a benchmark (JFreeChart, headless): few-shot top-1 against K per data set (one line per
 * model, shaded ± std) and per-class recall bars per model, data set and protocol.
 */
public final class BenchmarkCharts {
  private BenchmarkCharts() {}

  @SuppressWarnings("unchecked")
  public static List<Path> write(Path dir, List<BenchmarkResult> results) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Path> files = new ArrayList<>();
    Map<String, YIntervalSeriesCollection> fewShot = new LinkedHashMap<>();
    for (BenchmarkResult r : results) {
      if (r.skipped() != null) {
        continue;
      }
      if (r.protocol().equals("fewshot")) {
        YIntervalSeries s = new YIntervalSeries(r.model());
        for (Object o : (List<Object>) r.metrics().get("shots")) {
          Map<String, Object> x = (Map<String, Object>) o;
          double mean = (Double) x.get("top1_mean");
          double std = (Double) x.get("top1_std");
          s.add(((Number) x.get("k")).doubleValue(), mean, mean - std, mean + std);
        }
        fewShot.computeIfAbsent(r.dataset(), d -> new YIntervalSeriesCollection()).addSeries(s);
      }
      Object pc = r.metrics().get("per_class_recall");
      if (pc instanceof Map<?, ?> recall) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        recall.forEach((k, v) -> data.addValue((double) (v instanceof Double d && !d.isNaN() ? d : 0.0), r.protocol(), k.toString()));
        JFreeChart chart = ChartFactory.createBarChart(r.model() + " – " + r.dataset() + " – " + r.protocol(),
            "class", "recall (%)", data, PlotOrientation.HORIZONTAL, false, false, false);
        chart.getCategoryPlot().getRangeAxis().setRange(0, 100);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        int height = Math.max(300, 60 + 18 * recall.size());
        files.add(png(dir.resolve("recall-" + slug(r.model()) + "-" + slug(r.dataset()) + "-" + r.protocol() + ".png"),
            chart, 800, height));
      }
    }
    for (Map.Entry<String, YIntervalSeriesCollection> e : fewShot.entrySet()) {
      JFreeChart chart = ChartFactory.createXYLineChart("Few-shot linear probe – " + e.getKey(), "images per class (K)",
          "top-1 accuracy (%)", e.getValue(), PlotOrientation.VERTICAL, true, false, false);
      XYPlot plot = chart.getXYPlot();
      DeviationRenderer renderer = new DeviationRenderer(true, true);
      renderer.setAlpha(0.2f);
      plot.setRenderer(renderer);
      for (int i = 0; i < e.getValue().getSeriesCount(); i++) {
        renderer.setSeriesFillPaint(i, renderer.lookupSeriesPaint(i)); // the default fill paint is white
      }
      LogAxis k = new LogAxis("images per class (K)");
      k.setBase(2);
      k.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      plot.setDomainAxis(k);
      ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
      chart.setBackgroundPaint(Color.WHITE);
      files.add(png(dir.resolve("fewshot-" + slug(e.getKey()) + ".png"), chart, 800, 500));
    }
    return files;
  }

  private static Path png(Path file, JFreeChart chart, int w, int h) throws IOException {
    AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, w, h));
    return file;
  }

  static String slug(String s) {
    String x = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return x.isEmpty() ? "unnamed" : x;
  }
}
