package dgm4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A directed model's (VAE, IWAE, Helmholtz machine, DRAW) average log-likelihood by importance sampling with k samples
 * per example, ln (1/k) sum_i p(x, h_i) / q(h_i | x) (Burda et al. 2016: a lower bound L_k that tightens as k grows),
 * beside the bounds for smaller k; for a VAE also its active units; for DRAW also the variational bound with its KL
 * terms in closed form, the figure the DRAW paper reports.
 *
 * @param estimates     the bounds for smaller k, then the estimate with the largest k last
 * @param activeUnits   per stochastic layer, with {@code latents} (null: not a VAE)
 * @param analyticBound the variational bound with closed-form KL (k = 1; null: not reported)
 */
public record ImportanceReport(int examples, List<Estimate> estimates, int[] activeUnits, int[] latents, Estimate analyticBound)
        implements LikelihoodReport {
    /** The mean over examples of ln (1/k) sum_i w_i, its standard error over examples, and the time it took. */
    public record Estimate(int k, double mean, double standardError, int n, double seconds) {}

    /** A report without a closed-form bound. */
    public ImportanceReport(int examples, List<Estimate> estimates, int[] activeUnits, int[] latents) {
        this(examples, estimates, activeUnits, latents, null);
    }

    public Estimate last() { return estimates.get(estimates.size() - 1); }

    /** A single figure with its standard error: a stochastic lower bound on the average log-likelihood. */
    @Override public boolean determined() { return true; }

    @Override public double averageLogProbability() { return last().mean(); }

    private static String line(String label, Estimate e) {
        return String.format(Locale.ROOT, "%-14s %10.3f nats  (+- %.3f standard error over %d examples, %.1f s)",
                label, -e.mean(), e.standardError(), e.n(), e.seconds());
    }

    @Override public String summary() { return line("NLL (k=" + last().k() + ")", last()); }

    @Override
    public List<String> details() {
        List<String> d = new ArrayList<>();
        if (analyticBound != null) d.add(line("-ELBO (KL exact)", analyticBound));
        for (int i = 0; i < estimates.size() - 1; i++) d.add(line("-L_" + estimates.get(i).k(), estimates.get(i)));
        return d;
    }

    @Override
    public List<String> notes() {
        if (activeUnits == null) return List.of();
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < activeUnits.length; l++) sb.append(l == 0 ? "" : " + ").append(activeUnits[l]).append('/').append(latents[l]);
        return List.of("active units   " + sb + "  (Cov_x E_q[u] > 0.01)");
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("examples", examples);
        for (int i = 0; i < estimates.size(); i++) {
            Estimate e = estimates.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("k", e.k());
            r.put("mean_log_likelihood", e.mean());
            r.put("standard_error", e.standardError());
            r.put("seconds", e.seconds());
            results.put(i == estimates.size() - 1 ? "nll" : "bound_" + e.k(), r);
        }
        if (analyticBound != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mean_log_likelihood", analyticBound.mean());
            r.put("standard_error", analyticBound.standardError());
            r.put("seconds", analyticBound.seconds());
            results.put("bound_closed_form_kl", r);
        }
        if (activeUnits != null) {
            List<Integer> au = new ArrayList<>();
            for (int a : activeUnits) au.add(a);
            results.put("active_units", au);
        }
        return results;
    }
}
