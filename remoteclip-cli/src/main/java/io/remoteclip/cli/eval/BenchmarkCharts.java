package io.remoteclip.cli.eval;

import io.remoteclip.eval.FewShot;
import io.remoteclip.eval.benchmark.BenchmarkResult;
import io.remoteclip.eval.protocol.ClassificationResult;
import io.remoteclip.eval.protocol.FewShotResult;
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
 * PNG charts of a benchmark (JFreeChart, drawn offscreen): few-shot top-1 against K per data set (one line
 * per model, shaded ± std) and per-class recall bars per model, data set and classification protocol.
 * Drawing needs no display; only an unreachable {@code DISPLAY} would make AWT fail, which
 * {@link BenchmarkCommand} avoids by running headless.
 */
public final class BenchmarkCharts {
  private BenchmarkCharts() {}

  public static List<Path> write(Path dir, List<BenchmarkResult> results) throws IOException {
    List<Path> files = new ArrayList<>();
    Map<String, YIntervalSeriesCollection> fewShot = new LinkedHashMap<>();
    for (BenchmarkResult r : results) {
      if (r.result() instanceof FewShotResult f) {
        YIntervalSeries s = new YIntervalSeries(r.model());
        for (FewShot.Shot x : f.shots()) {
          s.add(x.k(), x.mean(), x.mean() - x.std(), x.mean() + x.std());
        }
        fewShot.computeIfAbsent(r.dataset(), d -> new YIntervalSeriesCollection()).addSeries(s);
      }
      if (r.result() instanceof ClassificationResult c) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double[] recall = c.metrics().perClassRecall();
        for (int k = 0; k < recall.length; k++) {
          data.addValue(Double.isNaN(recall[k]) ? 0.0 : recall[k], r.protocol().id(), c.classNames().get(k));
        }
        JFreeChart chart = ChartFactory.createBarChart(r.model() + " – " + r.dataset() + " – " + r.protocol().id(),
            "class", "recall (%)", data, PlotOrientation.HORIZONTAL, false, false, false);
        chart.getCategoryPlot().getRangeAxis().setRange(0, 100);
        chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);
        int height = Math.max(300, 60 + 18 * recall.length);
        files.add(png(dir.resolve("recall-" + slug(r.model()) + "-" + slug(r.dataset()) + "-" + r.protocol().id() + ".png"),
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
