package dgm4j.math;

/**
 * Float32 exp, log and tanh from basic IEEE operations only (Cephes expf/logf/tanhf polynomials, about 1-2 ulp).
 *
 * <p>Why not Math.exp or the Vector API's EXP: the Vector API computes transcendental lanes with different code when
 * interpreted and when compiled, so a run's bits would depend on JIT timing, breaking bitwise reproducibility (and
 * kill-and-resume equality). {@link VectorKernels} repeats exactly these operation sequences lane-wise, so scalar and
 * vector kernels agree bit for bit.
 */
final class FloatMath {
    private FloatMath() {}

    static final float EXP_HI = 88.72283f;
    static final float EXP_LO = -87.33654f;
    static final float LOG2E = 1.44269504088896341f;
    static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer kept in the low bits
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float E0 = 1.9875691500E-4f, E1 = 1.3981999507E-3f, E2 = 8.3334519073E-3f, E3 = 4.1665795894E-2f,
            E4 = 1.6666665459E-1f, E5 = 5.0000001201E-1f;
    static final float SQRTHF = 0.707106781186547524f;
    static final float L0 = 7.0376836292E-2f, L1 = -1.1514610310E-1f, L2 = 1.1676998740E-1f, L3 = -1.2420140846E-1f,
            L4 = 1.4249322787E-1f, L5 = -1.6668057665E-1f, L6 = 2.0000714765E-1f, L7 = -2.4999993993E-1f,
            L8 = 3.3333331174E-1f;
    static final float T0 = -5.70498872745E-3f, T1 = 2.06390887954E-2f, T2 = -5.37397155531E-2f,
            T3 = 1.33314422036E-1f, T4 = -3.33332819422E-1f;

    /** e^x; +inf above 88.72, 0 below -87.34, NaN for NaN. */
    static float exp(float x) {
        if (x > EXP_HI) return Float.POSITIVE_INFINITY;
        if (x < EXP_LO) return 0f;
        return expInRange(x);
    }

    /** e^x for x already in [EXP_LO, EXP_HI] (or NaN). */
    static float expInRange(float x) {
        float k = x * LOG2E + ROUND_MAGIC;
        float n = k - ROUND_MAGIC;
        float r = x - n * LN2_HI;
        r = r - n * LN2_LO;
        float z = r * r;
        // Horner steps written out, one float rounding each, in the order VectorKernels repeats lane-wise
        float p = E0 * r + E1;
        p = p * r + E2;
        p = p * r + E3;
        p = p * r + E4;
        p = p * r + E5;
        float y = p * z + r + 1f;
        float scale = Float.intBitsToFloat((Float.floatToRawIntBits(k) - ROUND_MAGIC_BITS + 127) << 23);
        return y * scale;
    }

    /** 1 / (1 + e^-x). */
    static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }

    /** Natural log for normal positive x; -inf at 0, NaN below, +inf at +inf. */
    static float log(float x) {
        if (!(x > 0f) || x == Float.POSITIVE_INFINITY) {
            return x == 0f ? Float.NEGATIVE_INFINITY : x == Float.POSITIVE_INFINITY ? x : Float.NaN;
        }
        int bits = Float.floatToRawIntBits(x);
        float e = ((bits >>> 23) & 0xFF) - 126;
        float m = Float.intBitsToFloat((bits & 0x807FFFFF) | 0x3F000000); // in [0.5, 1)
        float xm;
        if (m < SQRTHF) {
            e = e - 1f;
            xm = m + m - 1f;
        } else {
            xm = m - 1f;
        }
        return logPoly(xm, e);
    }

    static float logPoly(float xm, float e) {
        float z = xm * xm;
        // Horner steps written out, one float rounding each, in the order VectorKernels repeats lane-wise
        float y = L0 * xm + L1;
        y = y * xm + L2;
        y = y * xm + L3;
        y = y * xm + L4;
        y = y * xm + L5;
        y = y * xm + L6;
        y = y * xm + L7;
        y = y * xm + L8;
        y = y * xm * z;
        y = y + LN2_LO * e;
        y = y + -0.5f * z;
        return xm + y + LN2_HI * e;
    }

    /** log(1 + e^x) = max(x, 0) + log1p(e^-|x|), with log1p(y) = log(u) * y / (u - 1), u = 1 + y. */
    static float softplus(float x) {
        float y = exp(-Math.abs(x));
        float u = 1f + y;
        float l = u == 1f ? y : log(u) * y / (u - 1f);
        return Math.max(x, 0f) + l;
    }

    /** tanh: a polynomial below |x| = 0.625, (1 - e^-2|x|) / (1 + e^-2|x|) with the sign above. */
    static float tanh(float x) {
        float a = Math.abs(x);
        if (a < 0.625f) {
            float z = x * x;
            // Horner steps written out, one float rounding each (bitwise the same as the vector kernels)
            float p = T0 * z + T1;
            p = p * z + T2;
            p = p * z + T3;
            p = p * z + T4;
            return p * z * x + x;
        }
        float e = exp(-2f * a);
        float t = (1f - e) / (1f + e);
        return x < 0 ? -t : t;
    }

    /** Coefficients of log1p(y) = 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + ... + s^14/15), s = y / (2 + y). */
    static final float A1 = 1f / 3, A2 = 1f / 5, A3 = 1f / 7, A4 = 1f / 9, A5 = 1f / 11, A6 = 1f / 13, A7 = 1f / 15;

    /**
     * log(1 + y) for y in [0, 1] (e.g. y = e^-|x| in softplus): the atanh series in s = y / (2 + y) &lt;= 1/3, to s^15
     * (truncation below 2e-9 relative); accurate for tiny y too (s = y / 2), with one division and no exponent split.
     */
    static float log1pUnit(float y) {
        float s = y / (2f + y);
        float z = s * s;
        // Horner steps written out, one float rounding each, in the order VectorKernels repeats lane-wise
        float q = z * A7 + A6;
        q = q * z + A5;
        q = q * z + A4;
        q = q * z + A3;
        q = q * z + A2;
        q = q * z + A1;
        q = q * z;
        float t = s + s;
        return t * q + t;
    }

    /** 2 pi, and the Cephes sinf / cosf coefficients on [-pi/4, pi/4]. */
    static final float TWO_PI = 6.2831855f;
    static final float S0 = -1.9515295891E-4f, S1 = 8.3321608736E-3f, S2 = -1.6666654611E-1f;
    static final float C0 = 2.443315711809948E-5f, C1 = -1.388731625493765E-3f, C2 = 4.166664568298827E-2f;

    /**
     * Box-Muller from two uniforms in [0, 1): radius sqrt(-2 ln(1 - u1)) times cos and sin of the angle 2 pi u2, the
     * angle reduced exactly in turns (u2 - n/4, n = round(4 u2)) to [-pi/4, pi/4] and the quadrant applied afterwards.
     * Returns {r cos, r sin} in out[0], out[1].
     */
    static void boxMuller(float u1, float u2, float[] out) {
        float r = (float) Math.sqrt(-2f * log(1f - u1));
        float k = u2 * 4f + ROUND_MAGIC;
        float n = k - ROUND_MAGIC;
        float t = (u2 - n * 0.25f) * TWO_PI;
        float z = t * t;
        float sin = ((S0 * z + S1) * z + S2) * z * t + t;
        float cos = ((C0 * z + C1) * z + C2) * z * z - 0.5f * z + 1f;
        int q = (Float.floatToRawIntBits(k) - ROUND_MAGIC_BITS) & 3;
        float c = q == 0 ? cos : q == 1 ? -sin : q == 2 ? -cos : sin;
        float s = q == 0 ? sin : q == 1 ? cos : q == 2 ? -sin : -cos;
        out[0] = r * c;
        out[1] = r * s;
    }

    /** -log(2 pi) / 2 in float32. */
    static final float NEG_HALF_LOG_TWO_PI = (float) (-0.5 * Math.log(2 * Math.PI));
}
