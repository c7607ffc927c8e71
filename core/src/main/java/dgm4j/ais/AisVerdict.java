package dgm4j.ais;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Forward and reverse AIS compared: the verdict a user can act on. Forward AIS from base-model samples estimates Z
 * unbiasedly, so its ln Z is low in expectation (Jensen) and by many nats when its weights have a tail the runs never
 * sample; reverse AIS from model samples estimates 1/Z, so its ln Z is high in expectation. When both have enough
 * effective runs and land within {@code tolerance} nats of each other, they bracket ln Z tightly and the estimate is
 * determined; otherwise it is not, and {@link #problems()} says why. The model samples reverse AIS starts from must
 * really be the model's (persistent chains, long Gibbs chains): if they are stuck in some modes, reverse AIS can be low
 * too, which is why the starting states are reported beside the verdict.
 *
 * @param forward   forward estimate (required)
 * @param reverse   reverse estimate, or null when only forward AIS ran (never determined then)
 * @param tolerance largest |ln Z_reverse - ln Z_forward| called agreement, in nats
 */
public record AisVerdict(AisEstimate forward, AisEstimate reverse, double tolerance, List<String> caveats) {
    /** Fewer effective runs than this fraction of the runs flags an estimate (a few runs carry it). */
    public static final double MIN_EFFECTIVE_FRACTION = 0.1;
    /** Default agreement tolerance in nats. */
    public static final double DEFAULT_TOLERANCE = 0.1;

    /** A verdict with no caveats about the model samples. */
    public AisVerdict(AisEstimate forward, AisEstimate reverse, double tolerance) {
        this(forward, reverse, tolerance, List.of());
    }

    /**
     * @param caveats problems found outside the two estimates (e.g. Gibbs chains from different starts that have not
     *                mixed, so the reverse runs' starting states are not samples of the model); any makes the verdict
     *                not determined
     */
    public AisVerdict {
        caveats = List.copyOf(caveats);
        if (forward == null || forward.reverse()) throw new IllegalArgumentException("a verdict needs a forward estimate");
        if (reverse != null && !reverse.reverse()) throw new IllegalArgumentException("second estimate must be reverse AIS");
        if (!(tolerance > 0)) throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
    }

    /** ln Z_reverse - ln Z_forward (NaN without a reverse estimate); theory expects it near zero or positive. */
    public double gap() {
        return reverse == null ? Double.NaN : reverse.logZ() - forward.logZ();
    }

    /** Whether an estimate rests on enough of its runs. */
    public static boolean enoughEffectiveRuns(AisEstimate e) {
        return e.runs() >= 2 && e.effectiveRuns() >= MIN_EFFECTIVE_FRACTION * e.runs();
    }

    /** Why the estimate is not determined (empty when it is). */
    public List<String> problems() {
        List<String> p = new ArrayList<>(caveats);
        if (reverse == null) p.add("only forward AIS ran: nothing checks it (its ln Z can be low by many nats without a sign)");
        for (AisEstimate e : reverse == null ? List.of(forward) : List.of(forward, reverse)) {
            if (!enoughEffectiveRuns(e)) {
                p.add(String.format(Locale.ROOT, "%s AIS rests on %.1f effective runs of %d (ln Z probably %s)",
                        e.reverse() ? "reverse" : "forward", e.effectiveRuns(), e.runs(), e.reverse() ? "too high" : "too low"));
            }
            if (!Double.isFinite(e.logZ())) p.add((e.reverse() ? "reverse" : "forward") + " AIS gave a non-finite ln Z");
        }
        if (reverse != null && Math.abs(gap()) > tolerance) {
            p.add(gap() < 0
                    ? String.format(Locale.ROOT, "reverse AIS is %.2f nats BELOW forward, which theory does not allow of exact model "
                            + "samples: the reverse chains have not reached the model (or the weights' tails were missed)", -gap())
                    : String.format(Locale.ROOT, "forward and reverse disagree by %.2f nats (tolerance %.2f)", gap(), tolerance));
        }
        return p;
    }

    /** True when forward and reverse agree within the tolerance and both rest on enough effective runs. */
    public boolean determined() {
        return problems().isEmpty();
    }

    /**
     * The ln Z to report: the midpoint of forward and reverse when both ran (their half-gap is its uncertainty),
     * else the forward estimate.
     */
    public double logZ() {
        return reverse == null ? forward.logZ() : 0.5 * (forward.logZ() + reverse.logZ());
    }

    /** One line a user can act on. */
    public String summary() {
        return summary("run with more betas (--until-agree)");
    }

    /** As {@link #summary()}, ending an undetermined verdict with {@code advice} instead of the default. */
    public String summary(String advice) {
        if (determined()) {
            return String.format(Locale.ROOT, "forward and reverse AIS agree within %.2f nats (gap %+.3f, tolerance %.2f): ln Z = %.3f",
                    Math.abs(gap()), gap(), tolerance, logZ());
        }
        String head = reverse == null ? "NOT CHECKED" : Math.abs(gap()) > tolerance
                ? String.format(Locale.ROOT, "forward and reverse AIS DISAGREE by %.2f nats", Math.abs(gap()))
                : "forward and reverse AIS agree but rest on too few runs";
        return head + ": ln Z not determined (" + String.join("; ", problems()) + "); " + advice;
    }

    /** The verdict as JSON-ready values (estimates, brackets, effective runs, gap, problems). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("determined", determined());
        m.put("log_z", logZ());
        m.put("gap", reverse == null ? null : gap());
        m.put("tolerance", tolerance);
        m.put("summary", summary());
        m.put("problems", problems());
        m.put("forward", estimateJson(forward));
        m.put("reverse", reverse == null ? null : estimateJson(reverse));
        return m;
    }

    static Map<String, Object> estimateJson(AisEstimate e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("log_z", e.logZ());
        m.put("log_z_low", finiteOrNull(e.logZLow()));
        m.put("log_z_high", finiteOrNull(e.logZHigh()));
        m.put("runs", e.runs());
        m.put("effective_runs", e.effectiveRuns());
        m.put("betas", e.betas());
        m.put("log_weight_std", e.logWeightStd());
        return m;
    }

    private static Double finiteOrNull(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
