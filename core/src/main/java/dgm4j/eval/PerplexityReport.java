package dgm4j.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dgm4j.ais.AisEstimate;
import dgm4j.ais.AisEvaluation;

/**
 * A replicated-softmax model's held-out perplexity, exp(-sum_n ln p(v_n) / sum_n D_n), by forward and reverse AIS
 * (one ln Z per document length) with its verdict ({@link AisEvaluation.TextResult}).
 *
 * @param split            what was scored, e.g. "test"
 * @param exactPerplexity  by enumerating the hidden states (null: not computed)
 */
public record PerplexityReport(AisEvaluation.TextResult result, String split, int runs, int betas, Double exactPerplexity,
                               double seconds) implements LikelihoodReport {
    @Override public boolean determined() { return result.determined(); }

    /** Per document, by forward AIS (perplexity is the measure here). */
    @Override
    public double averageLogProbability() {
        double s = 0;
        for (double v : result.logPForward()) s += v / result.logPForward().length;
        return s;
    }

    @Override public String summary() { return result.summary(); }

    @Override
    public List<String> details() {
        double worst = 0;
        for (AisEstimate e : result.forward().values()) worst = Math.max(worst, e.logWeightStd());
        return List.of(String.format(Locale.ROOT, "AIS for %d document lengths of %d %s documents, %d runs each way, %d betas (%.1f s); largest sd(ln w) forward %.2f",
                result.forward().size(), result.lengths().length, split, runs, betas, seconds, worst));
    }

    @Override
    public List<String> notes() {
        if (exactPerplexity == null) return List.of();
        return List.of(String.format(Locale.ROOT, "exact held-out perplexity %.2f (forward %.2f, reverse %s)", exactPerplexity,
                result.perplexityForward(), result.logPReverse() == null ? "-" : String.format(Locale.ROOT, "%.2f", result.perplexityReverse())));
    }

    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("determined", determined());
        j.put("summary", summary());
        j.put("problems", result.problems());
        j.put("documents", result.lengths().length);
        double words = 0;
        for (double d : result.lengths()) words += d;
        j.put("words", words);
        j.put("perplexity_forward", result.perplexityForward());
        j.put("perplexity_reverse", result.logPReverse() == null ? null : result.perplexityReverse());
        j.put("mean_gap_per_document", result.logPReverse() == null ? null : result.meanGap());
        j.put("unigram_perplexity", result.unigramPerplexity());
        j.put("exact_perplexity", exactPerplexity);
        j.put("lengths", result.forward().size());
        return j;
    }
}
