package dgm4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import dgm4j.math.Matrix;

/** Sample models and hand-crafted files for the io tests. */
final class TestFiles {
    private TestFiles() {}

    /** A model with every dtype, a scalar, an empty tensor, awkward floats and JSON metadata. */
    static ModelFile allDtypes(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[3 * 5];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        f[0] = Float.NaN;
        f[1] = Float.intBitsToFloat(0x7fc00123); // NaN with a payload
        f[2] = -0.0f;
        f[3] = Float.MIN_VALUE;
        f[4] = Float.NEGATIVE_INFINITY;
        double[] d = new double[7];
        for (int i = 0; i < d.length; i++) d[i] = r.nextDouble() * 1e300;
        d[0] = Double.longBitsToDouble(0x7ff8000000000abcL);
        long[] l = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, r.nextLong()};
        int[] n = new int[2 * 2 * 3];
        for (int i = 0; i < n.length; i++) n[i] = r.nextInt();
        byte[] b = new byte[11];
        r.nextBytes(b);
        b[0] = (byte) 255;
        Matrix m = Matrix.zeros(4, 3);
        for (int i = 0; i < m.size(); i++) m.setFlat(i, (float) r.nextDouble());
        return ModelFile.builder("rbm")
                .config(ordered("visible", 3, "hidden", 5))
                .metadataJson(ModelFile.TRAINING_STATE_KEY, ordered("epoch", 3, "step", 1200))
                .metadataJson(ModelFile.PROVENANCE_KEY, ordered("dataset", "mnist", "seed", 42, "command", "dgm4j train \"x\""))
                .metadata("note", "unicode \u00e9\u20ac\uD83D\uDE00 and \"quotes\"\n")
                .tensor("u8", Tensor.vector(b)) // 11 bytes first: the writer must still align the others
                .tensor("weights", Tensor.of(f, 3, 5))
                .tensor("f64", Tensor.vector(d))
                .tensor("rng.state", Tensor.vector(l))
                .tensor("i32.cube", Tensor.of(n, 2, 2, 3))
                .tensor("scalar", Tensor.of(new double[] {Math.PI}))
                .tensor("empty", Tensor.of(new float[0], 0, 4))
                .matrix("matrix", m)
                .build();
    }

    /** An insertion-ordered map (Map.of iterates in a per-JVM random order, which would make file bytes vary). */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    /** A small model of another kind. */
    static ModelFile small(String kind, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextDouble();
        return ModelFile.builder(kind).floats("bias", f).longs("rng", new long[] {r.nextLong(), r.nextLong()}).build();
    }

    /**
     * A file from a raw header and data section; "SHA" in the header is replaced by the data's SHA-256, the header is
     * padded to a multiple of 8.
     */
    static byte[] craft(String header, byte[] data) {
        header = header.replace("SHA", sha256(data));
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) b.put((byte) ' ');
        b.put(data);
        return b.array();
    }

    /** The standard dgm4j metadata entry for crafted headers, with extra "key":"value" pairs. */
    static String meta(String extra) {
        return "\"__metadata__\":{\"format\":\"dgm4j\",\"format_version\":\"1\",\"kind\":\"rbm\",\"tensor_sha256\":\"SHA\"" + extra + "}";
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
