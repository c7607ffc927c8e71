package dgm4j.math;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API elementwise kernels working directly on the matrices' off-heap storage. Only loaded when the
 * jdk.incubator.vector module is present. Tails shorter than a vector use the scalar code.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() > RandomStream.LANES
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = F.length() == 16 ? IntVector.SPECIES_512
            : F.length() == 8 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
    private static final int L = F.length();
    private static final int LANES = RandomStream.LANES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ScalarKernels TAIL = new ScalarKernels();

    @Override
    public String name() { return "vector"; }

    private static FloatVector load(Matrix m, int index) {
        return FloatVector.fromByteBuffer(F, m.bytes, (m.offset + index) * Float.BYTES, NATIVE);
    }

    private static void store(FloatVector v, Matrix m, int index) {
        v.intoByteBuffer(m.bytes, (m.offset + index) * Float.BYTES, NATIVE);
    }

    // ---- FloatMath, lane-wise: the same operation sequences, so results equal the scalar kernels bit for bit. The hot
    // loops below repeat these sequences inline rather than calling them: see sigmoidInto for why ----

    static FloatVector exp(FloatVector x) {
        FloatVector y = expInRange(x.max(FloatMath.EXP_LO).min(FloatMath.EXP_HI));
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, FloatMath.EXP_HI));
        return y.blend(0f, x.compare(VectorOperators.LT, FloatMath.EXP_LO));
    }

    private static FloatVector expInRange(FloatVector x) {
        FloatVector k = x.mul(FloatMath.LOG2E).add(FloatMath.ROUND_MAGIC);
        FloatVector n = k.sub(FloatMath.ROUND_MAGIC);
        FloatVector r = x.sub(n.mul(FloatMath.LN2_HI));
        r = r.sub(n.mul(FloatMath.LN2_LO));
        FloatVector z = r.mul(r);
        FloatVector p = r.mul(FloatMath.E0).add(FloatMath.E1);
        p = p.mul(r).add(FloatMath.E2);
        p = p.mul(r).add(FloatMath.E3);
        p = p.mul(r).add(FloatMath.E4);
        p = p.mul(r).add(FloatMath.E5);
        FloatVector y = p.mul(z).add(r).add(1f);
        IntVector bits = (IntVector) k.reinterpretAsInts();
        FloatVector scale = bits.sub(FloatMath.ROUND_MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale);
    }

    static FloatVector log(FloatVector x) {
        IntVector bits = (IntVector) x.reinterpretAsInts();
        FloatVector e = ((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(126)
                .convert(VectorOperators.I2F, 0));
        FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
        VectorMask<Float> small = m.compare(VectorOperators.LT, FloatMath.SQRTHF);
        e = e.blend(e.sub(1f), small);
        FloatVector xm = m.sub(1f).blend(m.add(m).sub(1f), small);
        FloatVector z = xm.mul(xm);
        FloatVector y = xm.mul(FloatMath.L0).add(FloatMath.L1);
        y = y.mul(xm).add(FloatMath.L2);
        y = y.mul(xm).add(FloatMath.L3);
        y = y.mul(xm).add(FloatMath.L4);
        y = y.mul(xm).add(FloatMath.L5);
        y = y.mul(xm).add(FloatMath.L6);
        y = y.mul(xm).add(FloatMath.L7);
        y = y.mul(xm).add(FloatMath.L8);
        y = y.mul(xm).mul(z);
        y = y.add(e.mul(FloatMath.LN2_LO));
        y = y.add(z.mul(-0.5f));
        FloatVector result = xm.add(y).add(e.mul(FloatMath.LN2_HI));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        return result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    static FloatVector softplus(FloatVector x) {
        FloatVector y = exp(x.abs().neg());
        FloatVector u = y.add(1f);
        VectorMask<Float> one = u.compare(VectorOperators.EQ, 1f);
        FloatVector l = log(u).mul(y).div(u.sub(1f)).blend(y, one);
        return x.max(0f).add(l);
    }

    /**
     * One loop per function: a switch inside the loop makes the JIT compile every function into one method, which then
     * exceeds its inlining budget and boxes the vectors (measured: 6 bytes allocated per element, 5x slower).
     */
    @Override
    public void map(Fn fn, Matrix x, Matrix out, int n) {
        int done;
        switch (fn) {
            case SIGMOID: done = mapSigmoid(x, out, n); break;
            case TANH: done = mapTanh(x, out, n); break;
            case SOFTPLUS: done = mapSoftplus(x, out, n); break;
            case EXP: done = mapExp(x, out, n); break;
            case LOG: done = mapLog(x, out, n); break;
            case SQUARE: done = mapSquare(x, out, n); break;
            default: throw new AssertionError(fn);
        }
        for (int k = done; k < n; k++) out.floats.put(out.offset + k, ScalarKernels.apply(fn, x.floats.get(x.offset + k)));
    }

    private static int mapSigmoid(Matrix x, Matrix out, int n) {
        float[] p = new float[Math.min(n, CHUNK)];
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            int k = sigmoidInto(x, from, p, len);
            for (; k < len; k++) p[k] = FloatMath.sigmoid(x.floats.get(x.offset + from + k));
            out.floats.put(out.offset + from, p, 0, len);   // bulk copy: memory speed
        }
        return n;
    }

    private static final int CHUNK = 4096;

    /**
     * p[k] = 1 / (1 + exp(-x[from + k])) for k in [0, len): the one sigmoid loop, behind map(SIGMOID) and the fused Gibbs
     * half-step, writing to a small array (L1-resident) that its callers then copy or compare. Two rules keep C2 from
     * boxing every vector (measured 2-5x slower): FloatMath.exp is written out here rather than called (a compiled
     * Vector API method is not inlined: its code is too large), and the loop has one shape whatever the caller wants
     * (optional outputs inside the loop made the half-step 2x slower once other callers had used the loop).
     */
    private static int sigmoidInto(Matrix x, int from, float[] p, int len) {
        ByteBuffer xb = x.bytes;
        int xo = (x.offset + from) * 4;
        FloatVector one = FloatVector.broadcast(F, 1f);
        int k = 0;
        for (; k + L <= len; k += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, xb, xo + 4 * k, NATIVE).neg();
            FloatVector c = v.max(FloatMath.EXP_LO).min(FloatMath.EXP_HI);
            FloatVector kk = c.mul(FloatMath.LOG2E).add(FloatMath.ROUND_MAGIC);
            FloatVector nn = kk.sub(FloatMath.ROUND_MAGIC);
            FloatVector r = c.sub(nn.mul(FloatMath.LN2_HI));
            r = r.sub(nn.mul(FloatMath.LN2_LO));
            FloatVector z = r.mul(r);
            FloatVector q = r.mul(FloatMath.E0).add(FloatMath.E1);
            q = q.mul(r).add(FloatMath.E2);
            q = q.mul(r).add(FloatMath.E3);
            q = q.mul(r).add(FloatMath.E4);
            q = q.mul(r).add(FloatMath.E5);
            FloatVector y = q.mul(z).add(r).add(1f);
            FloatVector scale = ((IntVector) kk.reinterpretAsInts()).sub(FloatMath.ROUND_MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            y = y.mul(scale);
            y = y.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, FloatMath.EXP_HI));
            y = y.blend(0f, v.compare(VectorOperators.LT, FloatMath.EXP_LO));
            one.div(y.add(1f)).intoArray(p, k);
        }
        return k;
    }

    /** tanh lane-wise with FloatMath.exp written out (see {@link #sigmoidInto}: a called helper boxed the vectors,
     *  measured 2.5x slower). */
    private static int mapTanh(Matrix x, Matrix out, int n) {
        ByteBuffer xb = x.bytes, ob = out.bytes;
        int xo = x.offset * 4, oo = out.offset * 4;
        FloatVector one = FloatVector.broadcast(F, 1f);
        int k = 0;
        for (; k + L <= n; k += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, xb, xo + 4 * k, NATIVE);
            FloatVector a = v.abs();
            FloatVector zz = v.mul(v);
            FloatVector p = zz.mul(FloatMath.T0).add(FloatMath.T1);
            p = p.mul(zz).add(FloatMath.T2);
            p = p.mul(zz).add(FloatMath.T3);
            p = p.mul(zz).add(FloatMath.T4);
            FloatVector small = p.mul(zz).mul(v).add(v);
            FloatVector m2 = a.mul(-2f);
            FloatVector c = m2.max(FloatMath.EXP_LO).min(FloatMath.EXP_HI);
            FloatVector kk = c.mul(FloatMath.LOG2E).add(FloatMath.ROUND_MAGIC);
            FloatVector nn = kk.sub(FloatMath.ROUND_MAGIC);
            FloatVector r = c.sub(nn.mul(FloatMath.LN2_HI));
            r = r.sub(nn.mul(FloatMath.LN2_LO));
            FloatVector z = r.mul(r);
            FloatVector q = r.mul(FloatMath.E0).add(FloatMath.E1);
            q = q.mul(r).add(FloatMath.E2);
            q = q.mul(r).add(FloatMath.E3);
            q = q.mul(r).add(FloatMath.E4);
            q = q.mul(r).add(FloatMath.E5);
            FloatVector e = q.mul(z).add(r).add(1f);
            FloatVector scale = ((IntVector) kk.reinterpretAsInts()).sub(FloatMath.ROUND_MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            e = e.mul(scale);
            e = e.blend(Float.POSITIVE_INFINITY, m2.compare(VectorOperators.GT, FloatMath.EXP_HI));
            e = e.blend(0f, m2.compare(VectorOperators.LT, FloatMath.EXP_LO));
            FloatVector t = one.sub(e).div(e.add(1f));
            t = t.blend(t.neg(), v.compare(VectorOperators.LT, 0f));
            t.blend(small, a.compare(VectorOperators.LT, 0.625f)).intoByteBuffer(ob, oo + 4 * k, NATIVE);
        }
        return k;
    }

    private static int mapSoftplus(Matrix x, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) store(softplus(load(x, k)), out, k);
        return k;
    }

    private static int mapExp(Matrix x, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) store(exp(load(x, k)), out, k);
        return k;
    }

    private static int mapLog(Matrix x, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) store(log(load(x, k)), out, k);
        return k;
    }

    private static int mapSquare(Matrix x, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) {
            FloatVector v = load(x, k);
            store(v.mul(v), out, k);
        }
        return k;
    }

    @Override
    public void axpby(float a, Matrix x, float b, Matrix y, Matrix out, int n) {
        int k = 0;
        if (y == null) {
            for (; k + L <= n; k += L) store(load(x, k).mul(a), out, k);
        } else {
            for (; k + L <= n; k += L) store(load(x, k).mul(a).add(load(y, k).mul(b)), out, k);
        }
        for (; k < n; k++) {
            float v = a * x.floats.get(x.offset + k) + (y == null ? 0f : b * y.floats.get(y.offset + k));
            out.floats.put(out.offset + k, v);
        }
    }

    @Override
    public void momentumStep(Matrix param, Matrix gradient, Matrix velocity, float momentum, float lr, float decay, int n) {
        int k = 0;
        for (; k + L <= n; k += L) {
            FloatVector p = load(param, k);
            FloatVector v = load(velocity, k).mul(momentum).add(load(gradient, k).sub(p.mul(decay)).mul(lr));
            store(v, velocity, k);
            store(p.add(v), param, k);
        }
        ScalarKernels.momentumStep(param, gradient, velocity, momentum, lr, decay, k, n);   // the tail
    }

    @Override
    public void multiply(Matrix x, Matrix y, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) store(load(x, k).mul(load(y, k)), out, k);
        for (; k < n; k++) out.floats.put(out.offset + k, x.floats.get(x.offset + k) * y.floats.get(y.offset + k));
    }

    @Override
    public void gaussianLogDensity(Matrix z, Matrix mu, Matrix logSigma, Matrix u, Matrix inverseSigma, double[] out) {
        int r = z.rows(), c = z.cols();
        float[] terms = new float[c];
        double[] acc = new double[4];
        for (int i = 0; i < r; i++) {
            int base = i * c;
            int j = gaussianLoop(z, mu, logSigma, u, inverseSigma, base, terms, c);
            for (; j < c; j++) terms[j] = ScalarKernels.gaussianTerm(z, mu, logSigma, u, inverseSigma, base + j);
            Arrays.fill(acc, 0.0);
            accumulateFourWays(terms, c, acc);
            out[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }

    /**
     * One row's Gaussian terms lane-wise, FloatMath.exp written out (see {@link #sigmoidInto}: a called helper boxes the
     * vectors); returns how many columns it did.
     */
    private static int gaussianLoop(Matrix z, Matrix mu, Matrix logSigma, Matrix u, Matrix inverseSigma, int base,
                                    float[] terms, int c) {
        int j = 0;
        for (; j + L <= c; j += L) {
            FloatVector ls = load(logSigma, base + j);
            FloatVector x = ls.neg();
            FloatVector cl = x.max(FloatMath.EXP_LO).min(FloatMath.EXP_HI);
            FloatVector kk = cl.mul(FloatMath.LOG2E).add(FloatMath.ROUND_MAGIC);
            FloatVector nn = kk.sub(FloatMath.ROUND_MAGIC);
            FloatVector r = cl.sub(nn.mul(FloatMath.LN2_HI));
            r = r.sub(nn.mul(FloatMath.LN2_LO));
            FloatVector zz = r.mul(r);
            FloatVector q = r.mul(FloatMath.E0).add(FloatMath.E1);
            q = q.mul(r).add(FloatMath.E2);
            q = q.mul(r).add(FloatMath.E3);
            q = q.mul(r).add(FloatMath.E4);
            q = q.mul(r).add(FloatMath.E5);
            FloatVector inv = q.mul(zz).add(r).add(1f);
            FloatVector scale = ((IntVector) kk.reinterpretAsInts()).sub(FloatMath.ROUND_MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            inv = inv.mul(scale);
            inv = inv.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, FloatMath.EXP_HI));
            inv = inv.blend(0f, x.compare(VectorOperators.LT, FloatMath.EXP_LO));
            FloatVector uk = load(z, base + j).sub(load(mu, base + j)).mul(inv);
            store(uk, u, base + j);
            store(inv, inverseSigma, base + j);
            FloatVector.broadcast(F, FloatMath.NEG_HALF_LOG_TWO_PI).sub(ls).sub(uk.mul(0.5f).mul(uk)).intoArray(terms, j);
        }
        return j;
    }

    @Override
    public void gaussianLogDensityBackward(Matrix u, Matrix inverseSigma, double[] g, Matrix dz, Matrix dmu, Matrix dlogSigma) {
        int r = u.rows(), c = u.cols();
        for (int i = 0; i < r; i++) {
            float gi = (float) g[i];
            int base = i * c;
            int j = 0;
            for (; j + L <= c; j += L) {
                FloatVector uk = load(u, base + j);
                FloatVector du = uk.mul(gi).mul(load(inverseSigma, base + j));
                if (dz != null) store(du.neg(), dz, base + j);
                if (dmu != null) store(du, dmu, base + j);
                if (dlogSigma != null) store(uk.mul(uk).sub(1f).mul(gi), dlogSigma, base + j);
            }
            for (; j < c; j++) ScalarKernels.gaussianBackwardAt(u, inverseSigma, gi, base + j, dz, dmu, dlogSigma);
        }
    }

    @Override
    public void sumRowGroups(Matrix g, int k, Matrix out) {
        int r = out.rows(), c = out.cols();
        for (int i = 0; i < r; i++) {
            int j = 0;
            for (; j + L <= c; j += L) {
                FloatVector a = FloatVector.zero(F);
                for (int s = 0; s < k; s++) a = a.add(load(g, (i * k + s) * c + j));
                store(a, out, i * c + j);
            }
            for (; j < c; j++) out.floats.put(out.offset + i * c + j, ScalarKernels.groupSum(g, k, c, i, j));
        }
    }

    @Override
    public long binaryMasks(Matrix x, long[] masks, long limit) {
        if (64 % L != 0) return TAIL.binaryMasks(x, masks, limit);
        int r = x.rows(), c = x.cols(), words = (c + 63) / 64;
        long ones = 0;
        for (int i = 0; i < r; i++) {
            int base = i * c;
            for (int w = 0; w < words; w++) {
                long bits = 0;
                int j = 64 * w, end = Math.min(c, j + 64);
                for (; j + L <= end; j += L) {
                    FloatVector v = load(x, base + j);
                    VectorMask<Float> one = v.compare(VectorOperators.EQ, 1f);
                    if (!one.or(v.compare(VectorOperators.EQ, 0f)).allTrue()) return -1;
                    bits |= one.toLong() << (j & 63);
                }
                masks[i * words + w] = bits;
                if (!ScalarKernels.addBits(x, x.offset + base, j, end, masks, i * words + w)) return -1;
                ones += Long.bitCount(masks[i * words + w]);
            }
            if (ScalarKernels.tooDense(ones, (long) (i + 1) * c, limit)) return -2;
        }
        return ones;
    }

    /** Column blocks of 8 vectors kept in registers across each list (a block of w, k x 128 floats, stays in L2), then
     *  single vectors, then a scalar tail: every output element sums the same terms in the same order as the scalar
     *  kernel. */
    @Override
    public void sumSelectedRows(int rows, int[] start, int[] index, float[] w, int n, float[] out) {
        int j0 = 0;
        for (; j0 + 8 * L <= n; j0 += 8 * L) {
            for (int r = 0; r < rows; r++) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                for (int p = start[r]; p < start[r + 1]; p++) {
                    int src = index[p] * n + j0;
                    a0 = a0.add(FloatVector.fromArray(F, w, src));
                    a1 = a1.add(FloatVector.fromArray(F, w, src + L));
                    a2 = a2.add(FloatVector.fromArray(F, w, src + 2 * L));
                    a3 = a3.add(FloatVector.fromArray(F, w, src + 3 * L));
                    a4 = a4.add(FloatVector.fromArray(F, w, src + 4 * L));
                    a5 = a5.add(FloatVector.fromArray(F, w, src + 5 * L));
                    a6 = a6.add(FloatVector.fromArray(F, w, src + 6 * L));
                    a7 = a7.add(FloatVector.fromArray(F, w, src + 7 * L));
                }
                int o = r * n + j0;
                a0.intoArray(out, o);
                a1.intoArray(out, o + L);
                a2.intoArray(out, o + 2 * L);
                a3.intoArray(out, o + 3 * L);
                a4.intoArray(out, o + 4 * L);
                a5.intoArray(out, o + 5 * L);
                a6.intoArray(out, o + 6 * L);
                a7.intoArray(out, o + 7 * L);
            }
        }
        for (; j0 + L <= n; j0 += L) {
            for (int r = 0; r < rows; r++) {
                FloatVector a = FloatVector.zero(F);
                for (int p = start[r]; p < start[r + 1]; p++) a = a.add(FloatVector.fromArray(F, w, index[p] * n + j0));
                a.intoArray(out, r * n + j0);
            }
        }
        ScalarKernels.sumSelectedRows(rows, start, index, w, n, out, j0);
    }


    @Override
    public void scaleRows(Matrix x, double[] s, Matrix out) {
        int r = x.rows(), c = x.cols();
        for (int i = 0; i < r; i++) {
            int base = i * c;
            float si = (float) s[i];
            int j = 0;
            for (; j + L <= c; j += L) store(load(x, base + j).mul(si), out, base + j);
            for (; j < c; j++) out.floats.put(out.offset + base + j, si * x.floats.get(x.offset + base + j));
        }
    }

    @Override
    public void addRowVector(Matrix x, Matrix v, Matrix out) {
        int r = x.rows(), c = x.cols();
        for (int i = 0; i < r; i++) {
            int base = i * c;
            int j = 0;
            for (; j + L <= c; j += L) store(load(x, base + j).add(load(v, j)), out, base + j);
            for (; j < c; j++) out.floats.put(out.offset + base + j, x.floats.get(x.offset + base + j) + v.floats.get(v.offset + j));
        }
    }

    @Override
    public void bernoulli(Matrix p, boolean sigmoid, Matrix prob, Matrix dst, float[] u, float[] work, int from, int len) {
        int k;
        if (sigmoid) {
            // the fused Gibbs half-step: probabilities into work (one sigmoid loop), then [u < p] from the two arrays
            int s = sigmoidInto(p, from, work, len);
            for (; s < len; s++) work[s] = FloatMath.sigmoid(p.floats.get(p.offset + from + s));
            if (prob != null) prob.floats.put(prob.offset + from, work, 0, len);
            k = compareInto(u, work, dst, from, len);
        } else {
            k = bernoulliPlain(p, dst, u, from, len);
        }
        if (k < len) {
            float[] rest = new float[len - k];
            System.arraycopy(u, k, rest, 0, rest.length);
            if (sigmoid) {
                for (int t = k; t < len; t++) dst.floats.put(dst.offset + from + t, u[t] < work[t] ? 1f : 0f);
            } else {
                TAIL.bernoulli(p, false, null, dst, rest, null, from + k, len - k);
            }
        }
    }

    /** dst[from + k] = [u[k] &lt; p[k]] for k in [0, len) (both arrays L1-resident). */
    private static int compareInto(float[] u, float[] p, Matrix dst, int from, int len) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector zero = FloatVector.zero(F);
        ByteBuffer db = dst.bytes;
        int d0 = (dst.offset + from) * 4;
        int k = 0;
        for (; k + L <= len; k += L) {
            zero.blend(one, FloatVector.fromArray(F, u, k).lt(FloatVector.fromArray(F, p, k))).intoByteBuffer(db, d0 + 4 * k, NATIVE);
        }
        return k;
    }

    private static int bernoulliPlain(Matrix p, Matrix dst, float[] u, int from, int len) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector zero = FloatVector.zero(F);
        int k = 0;
        for (; k + L <= len; k += L) {
            VectorMask<Float> on = FloatVector.fromArray(F, u, k).lt(load(p, from + k));
            store(zero.blend(one, on), dst, from + k);
        }
        return k;
    }

    @Override
    public void gaussian(Matrix mean, Matrix std, Matrix dst, float[] u1, float[] u2, int from, int len) {
        int h = (len + 1) / 2;
        ScalarKernels.boxMullerInPlace(u1, u2, boxMullerLoop(u1, u2, h), h);
        if (mean == null && std == null) {
            dst.floats.put(dst.offset + from, u1, 0, h);
            dst.floats.put(dst.offset + from + h, u2, 0, len - h);
        } else {
            ScalarKernels.placeGaussians(mean, std, dst, u1, u2, from, len);
        }
    }

    /**
     * FloatMath.boxMuller lane-wise, in place (u1 -&gt; r cos, u2 -&gt; r sin), FloatMath.log written out (see
     * {@link #sigmoidInto}: a called helper boxes the vectors).
     */
    private static int boxMullerLoop(float[] u1, float[] u2, int h) {
        int p = 0;
        for (; p + L <= h; p += L) {
            FloatVector x = FloatVector.broadcast(F, 1f).sub(FloatVector.fromArray(F, u1, p));   // in (0, 1]
            IntVector bits = (IntVector) x.reinterpretAsInts();
            FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(126)
                    .convert(VectorOperators.I2F, 0);
            FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
            VectorMask<Float> small = m.compare(VectorOperators.LT, FloatMath.SQRTHF);
            e = e.blend(e.sub(1f), small);
            FloatVector xm = m.sub(1f).blend(m.add(m).sub(1f), small);
            FloatVector zz = xm.mul(xm);
            FloatVector y = xm.mul(FloatMath.L0).add(FloatMath.L1);
            y = y.mul(xm).add(FloatMath.L2);
            y = y.mul(xm).add(FloatMath.L3);
            y = y.mul(xm).add(FloatMath.L4);
            y = y.mul(xm).add(FloatMath.L5);
            y = y.mul(xm).add(FloatMath.L6);
            y = y.mul(xm).add(FloatMath.L7);
            y = y.mul(xm).add(FloatMath.L8);
            y = y.mul(xm).mul(zz);
            y = y.add(e.mul(FloatMath.LN2_LO));
            y = y.add(zz.mul(-0.5f));
            FloatVector logX = xm.add(y).add(e.mul(FloatMath.LN2_HI));
            FloatVector r = logX.mul(-2f).sqrt();
            FloatVector u = FloatVector.fromArray(F, u2, p);
            FloatVector k = u.mul(4f).add(FloatMath.ROUND_MAGIC);
            FloatVector n = k.sub(FloatMath.ROUND_MAGIC);
            FloatVector t = u.sub(n.mul(0.25f)).mul(FloatMath.TWO_PI);
            FloatVector z = t.mul(t);
            FloatVector sin = z.mul(FloatMath.S0).add(FloatMath.S1).mul(z).add(FloatMath.S2).mul(z).mul(t).add(t);
            FloatVector cos = z.mul(FloatMath.C0).add(FloatMath.C1).mul(z).add(FloatMath.C2).mul(z).mul(z)
                    .sub(z.mul(0.5f)).add(1f);
            IntVector q = ((IntVector) k.reinterpretAsInts()).sub(FloatMath.ROUND_MAGIC_BITS).and(3);
            VectorMask<Float> q1 = q.compare(VectorOperators.EQ, 1).cast(F), q2 = q.compare(VectorOperators.EQ, 2).cast(F),
                    q3 = q.compare(VectorOperators.EQ, 3).cast(F);
            FloatVector c = cos.blend(sin.neg(), q1).blend(cos.neg(), q2).blend(sin, q3);
            FloatVector s = sin.blend(cos, q1).blend(sin.neg(), q2).blend(cos.neg(), q3);
            r.mul(c).intoArray(u1, p);
            r.mul(s).intoArray(u2, p);
        }
        return p;
    }

    @Override
    public void softplusRowSums(Matrix x, float scale, double[] out) {
        int r = x.rows(), c = x.cols();
        float[] terms = new float[Math.min(c, 4096)];
        double[] acc = new double[4];
        for (int i = 0; i < r; i++) {
            Arrays.fill(acc, 0.0);
            for (int j0 = 0; j0 < c; j0 += terms.length) {
                int len = Math.min(terms.length, c - j0);
                int from = i * c + j0;
                int q = softplusLoop(x, from, scale, terms, len);
                for (; q < len; q++) terms[q] = FloatMath.softplus(scale * x.floats.get(x.offset + from + q));
                accumulateFourWays(terms, len, acc);   // j0 is a multiple of 4
            }
            out[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }

    /**
     * acc[k mod 4] += terms[k] for k &lt; len, in index order: the scalar kernels' four double accumulators (column j mod
     * 4), which cut the latency chain of one running sum by four; callers pass chunks that start at a multiple of 4.
     */
    private static void accumulateFourWays(float[] terms, int len, double[] acc) {
        double s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3];
        int q = 0;
        for (; q + 4 <= len; q += 4) {
            s0 += terms[q];
            s1 += terms[q + 1];
            s2 += terms[q + 2];
            s3 += terms[q + 3];
        }
        if (q < len) s0 += terms[q];
        if (q + 1 < len) s1 += terms[q + 1];
        if (q + 2 < len) s2 += terms[q + 2];
        acc[0] = s0; acc[1] = s1; acc[2] = s2; acc[3] = s3;
    }

    /**
     * dst[k] = softplus(scale * x[from + k]) = max(v, 0) + log1p(exp(-|v|)) with FloatMath's exp and log written out
     * (see {@link #sigmoidInto} for why); returns how many elements the vector loop did.
     */
    private static int softplusLoop(Matrix x, int from, float scale, float[] dst, int len) {
        ByteBuffer xb = x.bytes;
        int xo = (x.offset + from) * 4;
        int k = 0;
        for (; k + L <= len; k += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, xb, xo + 4 * k, NATIVE).mul(scale);
            // y = exp(-|v|), 0 below EXP_LO
            FloatVector a = v.abs().neg();
            FloatVector c = a.max(FloatMath.EXP_LO);
            FloatVector kk = c.mul(FloatMath.LOG2E).add(FloatMath.ROUND_MAGIC);
            FloatVector nn = kk.sub(FloatMath.ROUND_MAGIC);
            FloatVector r = c.sub(nn.mul(FloatMath.LN2_HI));
            r = r.sub(nn.mul(FloatMath.LN2_LO));
            FloatVector z = r.mul(r);
            FloatVector q = r.mul(FloatMath.E0).add(FloatMath.E1);
            q = q.mul(r).add(FloatMath.E2);
            q = q.mul(r).add(FloatMath.E3);
            q = q.mul(r).add(FloatMath.E4);
            q = q.mul(r).add(FloatMath.E5);
            FloatVector y = q.mul(z).add(r).add(1f);
            FloatVector scale2 = ((IntVector) kk.reinterpretAsInts()).sub(FloatMath.ROUND_MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            y = y.mul(scale2).blend(0f, a.compare(VectorOperators.LT, FloatMath.EXP_LO));
            // log1p(y) = log(u) * y / (u - 1), u = 1 + y in [1, 2]
            FloatVector u = y.add(1f);
            IntVector bits = (IntVector) u.reinterpretAsInts();
            FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).and(0xFF).sub(126)
                    .convert(VectorOperators.I2F, 0);
            FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
            VectorMask<Float> small = m.compare(VectorOperators.LT, FloatMath.SQRTHF);
            e = e.blend(e.sub(1f), small);
            FloatVector xm = m.sub(1f).blend(m.add(m).sub(1f), small);
            FloatVector zz = xm.mul(xm);
            FloatVector p = xm.mul(FloatMath.L0).add(FloatMath.L1);
            p = p.mul(xm).add(FloatMath.L2);
            p = p.mul(xm).add(FloatMath.L3);
            p = p.mul(xm).add(FloatMath.L4);
            p = p.mul(xm).add(FloatMath.L5);
            p = p.mul(xm).add(FloatMath.L6);
            p = p.mul(xm).add(FloatMath.L7);
            p = p.mul(xm).add(FloatMath.L8);
            p = p.mul(xm).mul(zz);
            p = p.add(e.mul(FloatMath.LN2_LO));
            p = p.add(zz.mul(-0.5f));
            FloatVector logU = xm.add(p).add(e.mul(FloatMath.LN2_HI));
            FloatVector l = logU.mul(y).div(u.sub(1f)).blend(y, u.compare(VectorOperators.EQ, 1f));
            v.max(0f).add(l).intoArray(dst, k);
        }
        return k;
    }

    @Override
    public void logSumExpRows(Matrix x, double[] out) {
        int r = x.rows(), c = x.cols();
        float[] e = new float[Math.min(c, 4096)];
        for (int i = 0; i < r; i++) {
            int base = i * c;
            int j = 0;
            FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (; j + L <= c; j += L) vmax = vmax.max(load(x, base + j));
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (; j < c; j++) max = Math.max(max, x.floats.get(x.offset + base + j));
            if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max) || max == Float.POSITIVE_INFINITY) {
                out[i] = max;
                continue;
            }
            // exponentials lane-wise, then summed in double in index order, exactly as the scalar kernel does
            double s = 0;
            for (int j0 = 0; j0 < c; j0 += e.length) {
                int len = Math.min(e.length, c - j0);
                int q = 0;
                for (; q + L <= len; q += L) exp(load(x, base + j0 + q).sub(max)).intoArray(e, q);
                for (; q < len; q++) e[q] = FloatMath.exp(x.floats.get(x.offset + base + j0 + q) - max);
                for (q = 0; q < len; q++) s += e[q];
            }
            out[i] = max + Math.log(s);
        }
    }

    @Override
    public void uniforms(int[] state, float[] dst, int n) {
        int rounds = (n + LANES - 1) / LANES;
        int full = n / LANES; // rounds whose 16 outputs are all used
        for (int c = 0; c < LANES; c += L) {
            IntVector s0 = IntVector.fromArray(I, state, c);
            IntVector s1 = IntVector.fromArray(I, state, LANES + c);
            IntVector s2 = IntVector.fromArray(I, state, 2 * LANES + c);
            IntVector s3 = IntVector.fromArray(I, state, 3 * LANES + c);
            for (int r = 0; r < rounds; r++) {
                IntVector result = s0.add(s3).lanewise(VectorOperators.ROL, 7).add(s0); // xoshiro128++
                IntVector t = s1.lanewise(VectorOperators.LSHL, 9);
                s2 = s2.lanewise(VectorOperators.XOR, s0);
                s3 = s3.lanewise(VectorOperators.XOR, s1);
                s1 = s1.lanewise(VectorOperators.XOR, s2);
                s0 = s0.lanewise(VectorOperators.XOR, s3);
                s2 = s2.lanewise(VectorOperators.XOR, t);
                s3 = s3.lanewise(VectorOperators.ROL, 11);
                FloatVector f = ((FloatVector) result.lanewise(VectorOperators.LSHR, 8)
                        .convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
                int idx = r * LANES + c;
                if (r < full) {
                    f.intoArray(dst, idx);
                } else {
                    f.intoArray(dst, idx, F.indexInRange(idx, n));
                }
            }
            s0.intoArray(state, c);
            s1.intoArray(state, LANES + c);
            s2.intoArray(state, 2 * LANES + c);
            s3.intoArray(state, 3 * LANES + c);
        }
    }

    @Override
    public void map2(Fn2 fn, Matrix a, Matrix b, Matrix out, int n) {
        int done;
        switch (fn) {
            case TANH_BACKWARD: done = tanhBackward(a, b, out, n); break;
            case SIGMOID_BACKWARD: done = sigmoidBackward(a, b, out, n); break;
            case SOFTPLUS_BACKWARD: done = softplusBackward(a, b, out, n); break;
            case DIVIDE: done = divide(a, b, out, n); break;
            default: throw new AssertionError(fn);
        }
        for (int k = done; k < n; k++) {
            out.floats.put(out.offset + k, ScalarKernels.apply2(fn, a.floats.get(a.offset + k), b.floats.get(b.offset + k)));
        }
    }

    private static int tanhBackward(Matrix a, Matrix b, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) {
            FloatVector y = load(b, k);
            store(load(a, k).mul(FloatVector.broadcast(F, 1f).sub(y.mul(y))), out, k);
        }
        return k;
    }

    private static int sigmoidBackward(Matrix a, Matrix b, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) {
            FloatVector y = load(b, k);
            store(load(a, k).mul(y).mul(FloatVector.broadcast(F, 1f).sub(y)), out, k);
        }
        return k;
    }

    private static int divide(Matrix a, Matrix b, Matrix out, int n) {
        int k = 0;
        for (; k + L <= n; k += L) store(load(a, k).div(load(b, k)), out, k);
        return k;
    }

    /** a * sigmoid(b): sigmoids chunk-wise into an L1 array through the one sigmoid loop, then the product. */
    private static int softplusBackward(Matrix a, Matrix b, Matrix out, int n) {
        float[] p = new float[Math.min(n, CHUNK)];
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            int k = sigmoidInto(b, from, p, len);
            for (; k < len; k++) p[k] = FloatMath.sigmoid(b.floats.get(b.offset + from + k));
            k = 0;
            for (; k + L <= len; k += L) store(load(a, from + k).mul(FloatVector.fromArray(F, p, k)), out, from + k);
            for (; k < len; k++) out.floats.put(out.offset + from + k, a.floats.get(a.offset + from + k) * p[k]);
        }
        return n;
    }

    @Override
    public void adamStep(Matrix param, Matrix gradient, Matrix m, Matrix v, float beta1, float beta2, float stepSize,
                         float epsilon, int n) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        int k = 0;
        for (; k + L <= n; k += L) {
            FloatVector g = load(gradient, k);
            FloatVector mk = load(m, k).mul(beta1).add(g.mul(c1));
            FloatVector vk = load(v, k).mul(beta2).add(g.mul(g).mul(c2));
            store(mk, m, k);
            store(vk, v, k);
            store(load(param, k).sub(mk.mul(stepSize).div(vk.sqrt().add(epsilon))), param, k);
        }
        if (k < n) {
            TAIL.adamStep(param.flatView(k, n - k), gradient.flatView(k, n - k), m.flatView(k, n - k),
                    v.flatView(k, n - k), beta1, beta2, stepSize, epsilon, n - k);
        }
    }

    @Override
    public void bernoulliLogLikelihood(Matrix logits, Matrix x, Matrix grad, double[] out) {
        int r = logits.rows(), c = logits.cols(), repeat = r / Math.max(1, x.rows());
        float[] terms = new float[Math.min(c, 4096)];
        double[] acc = new double[4];
        for (int i = 0; i < r; i++) {
            Arrays.fill(acc, 0.0);
            for (int j0 = 0; j0 < c; j0 += terms.length) {
                int len = Math.min(terms.length, c - j0);
                int from = i * c + j0, xFrom = (i / repeat) * c + j0;
                int q = bernoulliLoop(logits, x, grad, from, xFrom, terms, len);
                for (; q < len; q++) terms[q] = ScalarKernels.bernoulliTerm(logits, x, grad, from + q, xFrom + q);
                accumulateFourWays(terms, len, acc);   // j0 is a multiple of 4
            }
            out[i] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }

    /** The Bernoulli log-likelihood terms x l - softplus(l) into dst and x - sigmoid(l) into grad, FloatMath's exp and
     *  log1pUnit written out (see {@link #sigmoidInto}); returns how many elements the vector loop did. */
    private static int bernoulliLoop(Matrix logits, Matrix x, Matrix grad, int from, int xFrom, float[] dst, int len) {
        ByteBuffer lb = logits.bytes, xb = x.bytes, gb = grad.bytes;
        int lo = (logits.offset + from) * 4, xo = (x.offset + xFrom) * 4, go = (grad.offset + from) * 4;
        FloatVector one = FloatVector.broadcast(F, 1f);
        int k = 0;
        for (; k + L <= len; k += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, lb, lo + 4 * k, NATIVE);
            FloatVector xv = FloatVector.fromByteBuffer(F, xb, xo + 4 * k, NATIVE);
            FloatVector a = v.abs().neg();
            FloatVector c = a.max(FloatMath.EXP_LO);
            FloatVector kk = c.mul(FloatMath.LOG2E).add(FloatMath.ROUND_MAGIC);
            FloatVector nn = kk.sub(FloatMath.ROUND_MAGIC);
            FloatVector r = c.sub(nn.mul(FloatMath.LN2_HI));
            r = r.sub(nn.mul(FloatMath.LN2_LO));
            FloatVector z = r.mul(r);
            FloatVector q = r.mul(FloatMath.E0).add(FloatMath.E1);
            q = q.mul(r).add(FloatMath.E2);
            q = q.mul(r).add(FloatMath.E3);
            q = q.mul(r).add(FloatMath.E4);
            q = q.mul(r).add(FloatMath.E5);
            FloatVector y = q.mul(z).add(r).add(1f);
            FloatVector scale2 = ((IntVector) kk.reinterpretAsInts()).sub(FloatMath.ROUND_MAGIC_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            y = y.mul(scale2).blend(0f, a.compare(VectorOperators.LT, FloatMath.EXP_LO));
            // log1p(y) by FloatMath.log1pUnit's atanh series, written out
            FloatVector sv = y.div(y.add(2f));
            FloatVector zz = sv.mul(sv);
            FloatVector p = zz.mul(FloatMath.A7).add(FloatMath.A6);
            p = p.mul(zz).add(FloatMath.A5);
            p = p.mul(zz).add(FloatMath.A4);
            p = p.mul(zz).add(FloatMath.A3);
            p = p.mul(zz).add(FloatMath.A2);
            p = p.mul(zz).add(FloatMath.A1);
            p = p.mul(zz);
            FloatVector t = sv.add(sv);
            FloatVector softplus = v.max(0f).add(t.mul(p).add(t));
            FloatVector sigmoid = y.blend(one, v.compare(VectorOperators.GE, 0f)).div(y.add(1f));
            xv.sub(sigmoid).intoByteBuffer(gb, go + 4 * k, NATIVE);
            xv.mul(v).sub(softplus).intoArray(dst, k);
        }
        return k;
    }

    @Override
    public void lstmState(Matrix act, Matrix cPrev, Matrix c) {
        int r = c.rows(), h = c.cols();
        for (int i = 0; i < r; i++) {
            int a = 4 * h * i, s = h * i, j = 0;
            for (; j + L <= h; j += L) {
                FloatVector gi = load(act, a + j), gf = load(act, a + h + j), gg = load(act, a + 3 * h + j);
                store(gf.mul(load(cPrev, s + j)).add(gi.mul(gg)), c, s + j);
            }
            ScalarKernels.lstmStateRow(act, cPrev, c, i, j, h);
        }
    }

    @Override
    public void lstmOutput(Matrix act, Matrix tanhC, Matrix h) {
        int r = h.rows(), n = h.cols();
        for (int i = 0; i < r; i++) {
            int a = 4 * n * i + 2 * n, s = n * i, j = 0;
            for (; j + L <= n; j += L) store(load(act, a + j).mul(load(tanhC, s + j)), h, s + j);
            ScalarKernels.lstmOutputRow(act, tanhC, h, i, j, n);
        }
    }

    @Override
    public void lstmBackward(Matrix act, Matrix cPrev, Matrix tanhC, Matrix dh, Matrix dc, Matrix dGates, Matrix dcPrev) {
        int r = tanhC.rows(), n = tanhC.cols();
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int row = 0; row < r; row++) {
            int a = 4 * n * row, s = n * row, j = 0;
            for (; j + L <= n; j += L) {
                FloatVector i = load(act, a + j), f = load(act, a + n + j), o = load(act, a + 2 * n + j), g = load(act, a + 3 * n + j);
                FloatVector tc = load(tanhC, s + j), gh = load(dh, s + j);
                FloatVector dcTotal = load(dc, s + j).add(gh.mul(o).mul(one.sub(tc.mul(tc))));
                store(dcTotal.mul(g).mul(i).mul(one.sub(i)), dGates, a + j);
                store(dcTotal.mul(load(cPrev, s + j)).mul(f).mul(one.sub(f)), dGates, a + n + j);
                store(gh.mul(tc).mul(o).mul(one.sub(o)), dGates, a + 2 * n + j);
                store(dcTotal.mul(i).mul(one.sub(g.mul(g))), dGates, a + 3 * n + j);
                store(dcTotal.mul(f), dcPrev, s + j);
            }
            ScalarKernels.lstmBackwardRow(act, cPrev, tanhC, dh, dc, dGates, dcPrev, row, j, n);
        }
    }
}
