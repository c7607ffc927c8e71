package dgm4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import dgm4j.InputException;

/** {@code dgm plot}: training curves from the {@code --log} CSVs of train commands, as one PNG (JFreeChart). */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Plot training curves from the CSV logs that 'dgm train ... --log FILE.csv' writes: one panel per "
                + "monitor against the first column (the epoch), several runs overlaid with a legend, as a PNG.",
                "Example: dgm plot runs/vae.csv runs/iwae.csv --columns heldout_bound,learning_rate --log-x --out curves.png"})
final class PlotCommand implements Callable<Integer> {
    /** Series drawn with a marker at each point when they have at most this many (sparse monitors such as AIS). */
    private static final int MARKED_POINTS = 60;
    /** Run colours (Tableau 10), the same in every panel; cycled beyond ten runs. */
    private static final Color[] COLORS = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
            new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};

    @Parameters(paramLabel = "LOG.csv", arity = "1..*", description = "training logs (train --log); the first column is the x axis")
    List<Path> logs;
    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "the PNG to write (replaced atomically)") Path out;
    @Option(names = "--columns", split = ",", paramLabel = "A,B,...",
            description = "the monitors to plot, one panel each, in this order (default: every column after the first)")
    List<String> columns;
    @Option(names = "--log-x", description = "logarithmic x axis (long schedules, e.g. the IWAE schedule's 3,280 epochs)") boolean logX;
    @Option(names = "--width", defaultValue = "900", paramLabel = "PX", description = "image width in pixels (default: ${DEFAULT-VALUE})") int width;
    @Option(names = "--height", paramLabel = "PX", description = "image height in pixels (default: 80 + 200 per panel)") Integer height;
    @Option(names = "--title", description = "chart title (default: the log's file name, or none for several logs)") String title;
    @Spec CommandSpec spec;

    /** One CSV log: its legend name, its header and its rows (null where a monitor was not computed that epoch). */
    record Log(String name, Path file, List<String> header, List<Double[]> rows) {
        int column(String name) {
            return header.indexOf(name);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (width < 100 || width > 10_000) throw new InputException("--width must be in 100..10000, got " + width);
        List<Log> runs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path p : logs) runs.add(read(p));
        for (Log r : runs) {
            if (!names.add(r.name())) {   // two logs of the same name: name every run by its path
                runs.replaceAll(l -> new Log(l.file().toString(), l.file(), l.header(), l.rows()));
                break;
            }
        }
        List<String> panels = panels(runs);
        int h = height != null ? height : 80 + 200 * panels.size();
        if (h < 100 || h > 10_000) throw new InputException("--height must be in 100..10000, got " + h);
        if (logX) {
            for (Log r : runs) {
                for (Double[] row : r.rows()) {
                    if (row[0] != null && !(row[0] > 0)) {
                        throw new InputException("--log-x needs positive x values; " + r.file() + " has " + r.header().get(0) + " " + row[0]);
                    }
                }
            }
        }
        JFreeChart chart = chart(runs, panels);
        Png.write(chart.createBufferedImage(width, h), out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d panels, %d run%s, %dx%d)%n", out, panels.size(), runs.size(),
                runs.size() == 1 ? "" : "s", width, h);
        return Main.OK;
    }

    /** Reads a log: a header, then rows of numbers (empty cells allowed); names the file and line of anything else. */
    static Log read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        }
        lines.removeIf(String::isBlank);
        if (lines.isEmpty()) throw new InputException(file + " is empty: expected a header and one row per epoch");
        List<String> header = new ArrayList<>();
        for (String c : lines.get(0).split(",", -1)) header.add(c.trim());
        if (header.size() < 2) throw new InputException(file + ": the header has one column; expected the epoch and monitors");
        if (lines.size() == 1) throw new InputException(file + " has a header but no rows");
        List<Double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.size()) {
                throw new InputException(file + ":" + (i + 1) + ": " + cells.length + " cells, the header has " + header.size() + " columns");
            }
            Double[] row = new Double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                String s = cells[j].trim();
                if (s.isEmpty()) continue;
                try {
                    row[j] = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new InputException(file + ":" + (i + 1) + ": " + header.get(j) + " is not a number: '" + s + "'");
                }
            }
            rows.add(row);
        }
        String name = file.getFileName().toString();
        return new Log(name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name, file, header, rows);
    }

    /** The panels: --columns checked against the logs, or every column after the first of any log, in order. */
    private List<String> panels(List<Log> runs) {
        Set<String> all = new LinkedHashSet<>();
        for (Log r : runs) all.addAll(r.header().subList(1, r.header().size()));
        if (columns == null) return new ArrayList<>(all);
        for (String c : columns) {
            if (!all.contains(c)) {
                throw new InputException("--columns: no log has a column '" + c + "' (columns: " + String.join(", ", all) + ")");
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(columns));
    }

    private JFreeChart chart(List<Log> runs, List<String> panels) {
        String xName = runs.get(0).header().get(0);
        ValueAxis x;
        if (logX) {
            LogAxis axis = new LogAxis(xName);
            axis.setTickUnit(new NumberTickUnit(1.0));   // a tick per power of ten: 1, 10, 100, 1,000
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            axis.setMinorTickMarksVisible(true);
            x = axis;
        } else {
            NumberAxis axis = new NumberAxis(xName);
            axis.setAutoRangeIncludesZero(false);
            x = axis;
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(12);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        for (String column : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int k = 0; k < runs.size(); k++) {
                XYSeries s = series(runs.get(k), column, k);
                if (s.getItemCount() == 0) continue;
                int i = data.getSeriesCount();
                data.addSeries(s);
                renderer.setSeriesPaint(i, COLORS[k % COLORS.length]);
                renderer.setSeriesStroke(i, new BasicStroke(1.5f));
                renderer.setSeriesShape(i, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
                renderer.setSeriesShapesVisible(i, s.getItemCount() <= MARKED_POINTS);
            }
            NumberAxis y = new NumberAxis(column);
            y.setAutoRangeIncludesZero(false);
            y.setLabelFont(small);
            XYPlot panel = new XYPlot(data, null, y, renderer);
            panel.setBackgroundPaint(Color.WHITE);
            panel.setDomainGridlinePaint(Color.LIGHT_GRAY);
            panel.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.add(panel);
        }
        LegendItemCollection legend = new LegendItemCollection();
        for (int i = 0; i < runs.size(); i++) legend.add(new LegendItem(runs.get(i).name(), COLORS[i % COLORS.length]));
        plot.setFixedLegendItems(legend);
        String t = title != null ? title : runs.size() == 1 ? runs.get(0).name() : null;
        JFreeChart chart = new JFreeChart(t, JFreeChart.DEFAULT_TITLE_FONT, plot, runs.size() > 1);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** A run's points of one column (rows where it is empty or not finite are skipped); empty if the run lacks it. */
    private static XYSeries series(Log r, String column, int key) {
        XYSeries s = new XYSeries(key, true, true);
        int j = r.column(column);
        if (j < 0) return s;
        for (Double[] row : r.rows()) {
            if (row[0] != null && row[j] != null && Double.isFinite(row[0]) && Double.isFinite(row[j])) s.add(row[0], row[j]);
        }
        return s;
    }
}
