package dgm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

import jdk.incubator.vector.FloatVector;

import dgm4j.math.Matrix;
import dgm4j.math.Numerics;

/**
 * Prints, as one JSON line, what the benchmarks run on: JVM, dgm4j numeric configuration, Vector API width and the
 * native BLAS library the JVM has loaded (bench/scripts/report.py asks that library for its kernel name).
 */
public final class BenchInfo {
    private BenchInfo() {}

    public static void main(String[] args) throws IOException {
        Numerics.useBlas("native");
        Numerics.blas().multiply(Matrix.zeros(2, 2), Matrix.zeros(2, 2)); // make sure the library is loaded
        TreeSet<String> libs = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] parts = line.trim().split("\\s+");
            String file = parts[parts.length - 1];
            if (parts.length >= 6 && file.toLowerCase().contains("openblas") && file.contains(".so")) libs.add(file);
        }
        String vector = Numerics.vectorApiAvailable()
                ? String.valueOf(FloatVector.SPECIES_PREFERRED.length()) : "unavailable";
        StringBuilder sb = new StringBuilder("{\"kind\": \"java-env\"");
        field(sb, "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        field(sb, "numerics", Numerics.describe());
        field(sb, "vectorFloatLanes", vector);
        field(sb, "cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        sb.append(", \"nativeLibraries\": [");
        String sep = "";
        for (String l : libs) {
            sb.append(sep).append('"').append(escape(l)).append('"');
            sep = ", ";
        }
        sb.append("]}");
        System.out.println(sb);
    }

    private static void field(StringBuilder sb, String key, String value) {
        sb.append(", \"").append(key).append("\": \"").append(escape(value)).append('"');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
