package dgm4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dgm4j.ais.AisEstimate;
import dgm4j.ais.AisEvaluation;
import dgm4j.ais.AisVerdict;

/**
 * An RBM's or DBM's average log-probability (a DBM's mean-field lower bound) by forward and reverse AIS with their
 * verdict ({@link AisEvaluation.Result}).
 *
 * @param model       e.g. "784-500-1000 DBM" (null: not shown)
 * @param logJacobian added to give a Gaussian RBM's figure in the data's own units (0: none)
 * @param exactLogZ   by enumeration (null: not computed)
 * @param exactLogP   a DBM's exact average log-probability (null: not computed)
 */
public record AisReport(AisEvaluation.Result result, String model, double logJacobian, Double exactLogZ, Double exactLogP,
                        double seconds) implements LikelihoodReport {
    public AisVerdict verdict() { return result.verdict(); }

    /** The last round's forward and (if run) reverse estimates, e.g. for their annealing paths. */
    public List<AisEstimate> estimates() {
        List<AisEstimate> e = new ArrayList<>();
        e.add(verdict().forward());
        if (verdict().reverse() != null) e.add(verdict().reverse());
        return e;
    }

    @Override public List<AisEstimate> annealings() { return estimates(); }

    @Override public boolean determined() { return verdict().determined(); }

    @Override public double averageLogProbability() { return result.averageLogProbability(); }

    @Override public String summary() { return result.summary(); }

    @Override
    public List<String> details() {
        List<String> d = new ArrayList<>();
        if (model != null) d.add(model);
        d.add(String.format(Locale.ROOT, "base model: %s; ln Z_base = %.4f", result.baseDescription(), result.logZBase()));
        d.add(verdict().forward().toString());
        if (verdict().reverse() != null) d.add(verdict().reverse() + ", from " + result.reverseStart());
        int rounds = result.outcome().rounds().size();
        d.add(String.format(Locale.ROOT, "(%d round%s, %.1f s)", rounds, rounds == 1 ? "" : "s", seconds));
        return d;
    }

    @Override
    public List<String> notes() {
        List<String> n = new ArrayList<>();
        if (logJacobian != 0) {
            n.add(String.format(Locale.ROOT, "  in the data's own units (undoing the standardisation): %.2f nats", averageLogProbability() + logJacobian));
        }
        if (exactLogZ != null) {
            AisVerdict v = verdict();
            n.add(String.format(Locale.ROOT, "exact ln Z = %.4f (forward %+.3f, reverse %s); %s %.2f nats%s", exactLogZ,
                    v.forward().logZ() - exactLogZ, v.reverse() == null ? "-" : String.format(Locale.ROOT, "%+.3f", v.reverse().logZ() - exactLogZ),
                    exactLogP != null ? "lower bound" : "average log-probability", result.meanLogUnnormalized() - exactLogZ,
                    exactLogP != null ? String.format(Locale.ROOT, ", exact average log-probability %.2f nats", exactLogP) : ""));
        }
        return n;
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>(result.toJson());
        if (logJacobian != 0) j.put("average_log_probability_data_units", averageLogProbability() + logJacobian);
        j.put("exact_log_z", exactLogZ);
        if (exactLogP != null) j.put("exact_average_log_probability", exactLogP);
        j.put("seconds", seconds);
        return j;
    }
}
