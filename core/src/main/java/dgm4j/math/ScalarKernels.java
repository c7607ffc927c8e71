package dgm4j.math;

import java.nio.FloatBuffer;
import java.util.Arrays;

/** Plain-Java elementwise kernels: the reference, and the fallback when the Vector API is absent. */
final class ScalarKernels implements Kernels {
    static final int LANES = RandomStream.LANES;

    @Override
    public String name() { return "scalar"; }

    @Override
    public void map(Fn fn, Matrix x, Matrix out, int n) {
        FloatBuffer xs = x.floats, os = out.floats;
        int xo = x.offset, oo = out.offset;
        for (int k = 0; k < n; k++) os.put(oo + k, apply(fn, xs.get(xo + k)));
    }

    static float apply(Fn fn, float v) {
        switch (fn) {
            case SIGMOID: return FloatMath.sigmoid(v);
            case TANH: return FloatMath.tanh(v);
            case SOFTPLUS: return FloatMath.softplus(v);
            case EXP: return FloatMath.exp(v);
            case LOG: return FloatMath.log(v);
            case SQUARE: return v * v;
            default: throw new AssertionError(fn);
        }
    }

    @Override
    public void axpby(float a, Matrix x, float b, Matrix y, Matrix out, int n) {
        FloatBuffer xs = x.floats, os = out.floats;
        int xo = x.offset, oo = out.offset;
        if (y == null) {
            for (int k = 0; k < n; k++) os.put(oo + k, a * xs.get(xo + k));
        } else {
            FloatBuffer ys = y.floats;
            int yo = y.offset;
            for (int k = 0; k < n; k++) os.put(oo + k, a * xs.get(xo + k) + b * ys.get(yo + k));
        }
    }

    @Override
    public void momentumStep(Matrix param, Matrix gradient, Matrix velocity, float momentum, float lr, float decay, int n) {
        momentumStep(param, gradient, velocity, momentum, lr, decay, 0, n);
    }

    /** {@link #momentumStep} on elements [from, to) (also the vector kernel's tail). */
    static void momentumStep(Matrix param, Matrix gradient, Matrix velocity, float momentum, float lr, float decay, int from, int to) {
        for (int k = from; k < to; k++) {
            float p = param.floats.get(param.offset + k);
            float v = momentum * velocity.floats.get(velocity.offset + k) + lr * (gradient.floats.get(gradient.offset + k) - decay * p);
            velocity.floats.put(velocity.offset + k, v);
            param.floats.put(param.offset + k, p + v);
        }
    }

    @Override
    public void multiply(Matrix x, Matrix y, Matrix out, int n) {
        FloatBuffer xs = x.floats, ys = y.floats, os = out.floats;
        int xo = x.offset, yo = y.offset, oo = out.offset;
        for (int k = 0; k < n; k++) os.put(oo + k, xs.get(xo + k) * ys.get(yo + k));
    }

    @Override
    public void gaussianLogDensity(Matrix z, Matrix mu, Matrix logSigma, Matrix u, Matrix inverseSigma, double[] out) {
        int r = z.rows(), c = z.cols();
        double[] acc = new double[4];
        for (int i = 0; i < r; i++) {
            Arrays.fill(acc, 0.0);
            for (int j = 0; j < c; j++) acc[j & 3] += gaussianTerm(z, mu, logSigma, u, inverseSigma, i * c + j);
            out[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }

    @Override
    public void gaussianLogDensityBackward(Matrix u, Matrix inverseSigma, double[] g, Matrix dz, Matrix dmu, Matrix dlogSigma) {
        int r = u.rows(), c = u.cols();
        for (int i = 0; i < r; i++) {
            float gi = (float) g[i];
            for (int j = 0; j < c; j++) gaussianBackwardAt(u, inverseSigma, gi, i * c + j, dz, dmu, dlogSigma);
        }
    }

    @Override
    public void sumRowGroups(Matrix g, int k, Matrix out) {
        int r = out.rows(), c = out.cols();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) out.floats.put(out.offset + i * c + j, groupSum(g, k, c, i, j));
        }
    }

    @Override
    public long binaryMasks(Matrix x, long[] masks, long limit) {
        int r = x.rows(), c = x.cols(), words = (c + 63) / 64;
        long ones = 0;
        for (int i = 0; i < r; i++) {
            int base = x.offset + i * c;
            for (int w = 0; w < words; w++) {
                masks[i * words + w] = 0;
                if (!addBits(x, base, 64 * w, Math.min(c, 64 * w + 64), masks, i * words + w)) return -1;
                ones += Long.bitCount(masks[i * words + w]);
            }
            if (tooDense(ones, (long) (i + 1) * c, limit)) return -2;
        }
        return ones;
    }

    /** Both the ones and the zeros among the first {@code seen} entries exceed the limit. */
    static boolean tooDense(long ones, long seen, long limit) {
        return ones > limit && seen - ones > limit;
    }

    /** Sets bit j mod 64 of masks[word] where x[base + j] == 1, j in [from, end); false at a value other than 0/1. */
    static boolean addBits(Matrix x, int base, int from, int end, long[] masks, int word) {
        long bits = masks[word];
        for (int j = from; j < end; j++) {
            float v = x.floats.get(base + j);
            if (v == 1f) bits |= 1L << (j & 63);
            else if (v != 0f) return false;
        }
        masks[word] = bits;
        return true;
    }

    @Override
    public void sumSelectedRows(int rows, int[] start, int[] index, float[] w, int n, float[] out) {
        sumSelectedRows(rows, start, index, w, n, out, 0);
    }

    /** {@link #sumSelectedRows} for the columns from {@code j0} on (also the vector kernel's tail). */
    static void sumSelectedRows(int rows, int[] start, int[] index, float[] w, int n, float[] out, int j0) {
        for (int r = 0; r < rows && j0 < n; r++) {
            int o = r * n;
            Arrays.fill(out, o + j0, o + n, 0f);
            for (int p = start[r]; p < start[r + 1]; p++) {
                int src = index[p] * n;
                for (int j = j0; j < n; j++) out[o + j] += w[src + j];
            }
        }
    }

    @Override
    public void scaleRows(Matrix x, double[] s, Matrix out) {
        int r = x.rows(), c = x.cols();
        for (int i = 0; i < r; i++) {
            int xi = x.offset + i * c, oi = out.offset + i * c;
            float si = (float) s[i];
            for (int j = 0; j < c; j++) out.floats.put(oi + j, si * x.floats.get(xi + j));
        }
    }

    @Override
    public void addRowVector(Matrix x, Matrix v, Matrix out) {
        int r = x.rows(), c = x.cols();
        FloatBuffer xs = x.floats, vs = v.floats, os = out.floats;
        for (int i = 0; i < r; i++) {
            int xi = x.offset + i * c, oi = out.offset + i * c;
            for (int j = 0; j < c; j++) os.put(oi + j, xs.get(xi + j) + vs.get(v.offset + j));
        }
    }

    @Override
    public void bernoulli(Matrix p, boolean sigmoid, Matrix prob, Matrix dst, float[] u, float[] work, int from, int len) {
        FloatBuffer ps = p.floats, ds = dst.floats;
        int po = p.offset + from, d0 = dst.offset + from;
        for (int k = 0; k < len; k++) {
            float pk = ps.get(po + k);
            if (sigmoid) {
                pk = FloatMath.sigmoid(pk);
                if (prob != null) prob.floats.put(prob.offset + from + k, pk);
            }
            ds.put(d0 + k, u[k] < pk ? 1f : 0f);
        }
    }

    @Override
    public void gaussian(Matrix mean, Matrix std, Matrix dst, float[] u1, float[] u2, int from, int len) {
        boxMullerInPlace(u1, u2, 0, (len + 1) / 2);
        placeGaussians(mean, std, dst, u1, u2, from, len);
    }

    /** Box-Muller on the pairs [from, to) in place: u1[p] becomes r cos, u2[p] r sin (FloatMath.boxMuller). */
    static void boxMullerInPlace(float[] u1, float[] u2, int from, int to) {
        float[] z = new float[2];
        for (int p = from; p < to; p++) {
            FloatMath.boxMuller(u1[p], u2[p], z);
            u1[p] = z[0];
            u2[p] = z[1];
        }
    }

    /** dst[from + p] = mean + std * zc[p], dst[from + h + p] = mean + std * zs[p] (see Kernels.gaussian). */
    static void placeGaussians(Matrix mean, Matrix std, Matrix dst, float[] zc, float[] zs, int from, int len) {
        int h = (len + 1) / 2;
        for (int i = 0; i < len; i++) {
            float z = i < h ? zc[i] : zs[i - h];
            int k = from + i;
            float m = mean == null ? 0f : mean.floats.get(mean.offset + k);
            float sd = std == null ? 1f : std.floats.get(std.offset + k);
            dst.floats.put(dst.offset + k, m + sd * z);
        }
    }

    @Override
    public void softplusRowSums(Matrix x, float scale, double[] out) {
        int r = x.rows(), c = x.cols();
        FloatBuffer xs = x.floats;
        double[] acc = new double[4]; // four accumulators (j mod 4), as bernoulliLogLikelihood
        for (int i = 0; i < r; i++) {
            int base = x.offset + i * c;
            Arrays.fill(acc, 0.0);
            for (int j = 0; j < c; j++) acc[j & 3] += FloatMath.softplus(scale * xs.get(base + j));
            out[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }

    @Override
    public void logSumExpRows(Matrix x, double[] out) {
        int r = x.rows(), c = x.cols();
        FloatBuffer xs = x.floats;
        for (int i = 0; i < r; i++) {
            int xi = x.offset + i * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, xs.get(xi + j));
            if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max) || max == Float.POSITIVE_INFINITY) {
                out[i] = max;
                continue;
            }
            double s = 0;
            for (int j = 0; j < c; j++) s += FloatMath.exp(xs.get(xi + j) - max);
            out[i] = max + Math.log(s);
        }
    }

    @Override
    public void uniforms(int[] state, float[] dst, int n) {
        int rounds = (n + LANES - 1) / LANES;
        for (int l = 0; l < LANES; l++) {
            int s0 = state[l], s1 = state[LANES + l], s2 = state[2 * LANES + l], s3 = state[3 * LANES + l];
            for (int r = 0; r < rounds; r++) {
                int result = Integer.rotateLeft(s0 + s3, 7) + s0; // xoshiro128++
                int t = s1 << 9;
                s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
                s2 ^= t;
                s3 = Integer.rotateLeft(s3, 11);
                int idx = r * LANES + l;
                if (idx < n) dst[idx] = (result >>> 8) * 0x1.0p-24f;
            }
            state[l] = s0; state[LANES + l] = s1; state[2 * LANES + l] = s2; state[3 * LANES + l] = s3;
        }
    }

    @Override
    public void map2(Fn2 fn, Matrix a, Matrix b, Matrix out, int n) {
        FloatBuffer as = a.floats, bs = b.floats, os = out.floats;
        int ao = a.offset, bo = b.offset, oo = out.offset;
        for (int k = 0; k < n; k++) os.put(oo + k, apply2(fn, as.get(ao + k), bs.get(bo + k)));
    }

    static float apply2(Fn2 fn, float a, float b) {
        switch (fn) {
            case TANH_BACKWARD: return a * (1f - b * b);
            case SIGMOID_BACKWARD: return a * b * (1f - b);
            case SOFTPLUS_BACKWARD: return a * FloatMath.sigmoid(b);
            case DIVIDE: return a / b;
            default: throw new AssertionError(fn);
        }
    }

    @Override
    public void adamStep(Matrix param, Matrix gradient, Matrix m, Matrix v, float beta1, float beta2, float stepSize,
                         float epsilon, int n) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        for (int k = 0; k < n; k++) {
            float g = gradient.floats.get(gradient.offset + k);
            float mk = beta1 * m.floats.get(m.offset + k) + c1 * g;
            float vk = beta2 * v.floats.get(v.offset + k) + c2 * (g * g);
            m.floats.put(m.offset + k, mk);
            v.floats.put(v.offset + k, vk);
            float p = param.floats.get(param.offset + k);
            param.floats.put(param.offset + k, p - stepSize * mk / ((float) Math.sqrt(vk) + epsilon));
        }
    }

    @Override
    public void bernoulliLogLikelihood(Matrix logits, Matrix x, Matrix grad, double[] out) {
        int r = logits.rows(), c = logits.cols(), repeat = r / Math.max(1, x.rows());
        double[] acc = new double[4]; // four accumulators (j mod 4): a quarter of the latency chain of one sum
        for (int i = 0; i < r; i++) {
            Arrays.fill(acc, 0.0);
            for (int j = 0; j < c; j++) acc[j & 3] += bernoulliTerm(logits, x, grad, i * c + j, (i / repeat) * c + j);
            out[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }

    // ---- per-element helpers, shared with VectorKernels' tails ----

    /** The Gaussian term at flat index k: writes u and 1/sigma, returns -log(2 pi)/2 - ls - u^2/2. */
    static float gaussianTerm(Matrix z, Matrix mu, Matrix logSigma, Matrix u, Matrix inverseSigma, int k) {
        float ls = logSigma.floats.get(logSigma.offset + k);
        float inv = FloatMath.exp(-ls);
        float uk = (z.floats.get(z.offset + k) - mu.floats.get(mu.offset + k)) * inv;
        u.floats.put(u.offset + k, uk);
        inverseSigma.floats.put(inverseSigma.offset + k, inv);
        return FloatMath.NEG_HALF_LOG_TWO_PI - ls - 0.5f * uk * uk;
    }

    /** The Gaussian log-density gradients at flat index k (null outputs skipped). */
    static void gaussianBackwardAt(Matrix u, Matrix inverseSigma, float gi, int k, Matrix dz, Matrix dmu, Matrix dlogSigma) {
        float uk = u.floats.get(u.offset + k);
        float du = gi * uk * inverseSigma.floats.get(inverseSigma.offset + k);
        if (dz != null) dz.floats.put(dz.offset + k, -du);
        if (dmu != null) dmu.floats.put(dmu.offset + k, du);
        if (dlogSigma != null) dlogSigma.floats.put(dlogSigma.offset + k, gi * (uk * uk - 1f));
    }

    /** The Bernoulli term x l - softplus(l) at logits index k and data index xk; writes x - sigmoid(l) to grad. */
    static float bernoulliTerm(Matrix logits, Matrix x, Matrix grad, int k, int xk) {
        float l = logits.floats.get(logits.offset + k), xv = x.floats.get(x.offset + xk);
        float y = FloatMath.exp(-Math.abs(l));
        float softplus = Math.max(l, 0f) + FloatMath.log1pUnit(y);
        grad.floats.put(grad.offset + k, xv - (l >= 0f ? 1f : y) / (1f + y));
        return xv * l - softplus;
    }

    /** sum_{s &lt; k} g[i k + s, j] in order. */
    static float groupSum(Matrix g, int k, int c, int i, int j) {
        float a = 0f;
        for (int s = 0; s < k; s++) a += g.floats.get(g.offset + (i * k + s) * c + j);
        return a;
    }

    @Override
    public void lstmState(Matrix act, Matrix cPrev, Matrix c) {
        int r = c.rows(), h = c.cols();
        for (int i = 0; i < r; i++) lstmStateRow(act, cPrev, c, i, 0, h);
    }

    /** c = f cPrev + i g at columns [from, to) of row {@code row}. */
    static void lstmStateRow(Matrix act, Matrix cPrev, Matrix c, int row, int from, int to) {
        int h = c.cols(), a = act.offset + row * 4 * h, s = row * h;
        FloatBuffer af = act.floats;
        for (int j = from; j < to; j++) {
            float gi = af.get(a + j), gf = af.get(a + h + j), gg = af.get(a + 3 * h + j);
            c.floats.put(c.offset + s + j, gf * cPrev.floats.get(cPrev.offset + s + j) + gi * gg);
        }
    }

    @Override
    public void lstmOutput(Matrix act, Matrix tanhC, Matrix h) {
        int r = h.rows(), n = h.cols();
        for (int i = 0; i < r; i++) lstmOutputRow(act, tanhC, h, i, 0, n);
    }

    /** h = o tanhC at columns [from, to) of row {@code row}. */
    static void lstmOutputRow(Matrix act, Matrix tanhC, Matrix h, int row, int from, int to) {
        int n = h.cols(), a = act.offset + row * 4 * n + 2 * n, s = row * n;
        for (int j = from; j < to; j++) {
            h.floats.put(h.offset + s + j, act.floats.get(a + j) * tanhC.floats.get(tanhC.offset + s + j));
        }
    }

    @Override
    public void lstmBackward(Matrix act, Matrix cPrev, Matrix tanhC, Matrix dh, Matrix dc, Matrix dGates, Matrix dcPrev) {
        int r = tanhC.rows(), n = tanhC.cols();
        for (int i = 0; i < r; i++) lstmBackwardRow(act, cPrev, tanhC, dh, dc, dGates, dcPrev, i, 0, n);
    }

    /** {@link #lstmBackward} at columns [from, to) of row {@code row}. */
    static void lstmBackwardRow(Matrix act, Matrix cPrev, Matrix tanhC, Matrix dh, Matrix dc, Matrix dGates, Matrix dcPrev,
                                int row, int from, int to) {
        int n = tanhC.cols(), a = act.offset + row * 4 * n, d = dGates.offset + row * 4 * n, s = row * n;
        FloatBuffer af = act.floats, df = dGates.floats;
        for (int j = from; j < to; j++) {
            float i = af.get(a + j), f = af.get(a + n + j), o = af.get(a + 2 * n + j), g = af.get(a + 3 * n + j);
            float tc = tanhC.floats.get(tanhC.offset + s + j), gh = dh.floats.get(dh.offset + s + j);
            float dcTotal = dc.floats.get(dc.offset + s + j) + gh * o * (1f - tc * tc);
            df.put(d + j, dcTotal * g * i * (1f - i));
            df.put(d + n + j, dcTotal * cPrev.floats.get(cPrev.offset + s + j) * f * (1f - f));
            df.put(d + 2 * n + j, gh * tc * o * (1f - o));
            df.put(d + 3 * n + j, dcTotal * i * (1f - g * g));
            dcPrev.floats.put(dcPrev.offset + s + j, dcTotal * f);
        }
    }
}
