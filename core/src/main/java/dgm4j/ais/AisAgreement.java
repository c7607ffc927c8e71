package dgm4j.ais;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dgm4j.InputException;
import dgm4j.Progress;
import dgm4j.math.RandomStream;

/**
 * Anneal until it holds: forward and reverse AIS with the standard schedule scaled by f, 2f, 4f, ... betas, until they
 * agree within a tolerance with enough effective runs each (an {@link AisVerdict} that is determined), or the rounds
 * or the time budget run out. Each round uses fresh random streams; the reported verdict is the last round's.
 */
public final class AisAgreement {
    /** One model's AIS in both directions (base model and reverse starting states fixed by the implementation). */
    public interface Directions {
        AisEstimate forward(AnnealingSchedule schedule, RandomStream random, Progress progress);

        AisEstimate reverse(AnnealingSchedule schedule, RandomStream random, Progress progress);
    }

    /** One round: its schedule's scale (1 = the standard 14,501 betas), the verdict and the seconds it took. */
    public record Round(double scale, AisVerdict verdict, double seconds) {
        public String describe() {
            if (verdict.reverse() == null) {
                return String.format(Locale.ROOT, "forward AIS with %d betas (%.1f s): ln Z %.3f (%.1f eff.)", verdict.forward().betas(),
                        seconds, verdict.forward().logZ(), verdict.forward().effectiveRuns());
            }
            return String.format(Locale.ROOT, "round with %d betas (%.1f s): forward %.3f (%.1f eff.), reverse %.3f (%.1f eff.): %s",
                    verdict.forward().betas(), seconds, verdict.forward().logZ(), verdict.forward().effectiveRuns(),
                    verdict.reverse().logZ(), verdict.reverse().effectiveRuns(), verdict.determined() ? "agreed" : "not yet");
        }
    }

    /** The rounds run, and why they stopped. */
    public record Outcome(List<Round> rounds, String stoppedBecause) {
        public AisVerdict verdict() { return rounds.get(rounds.size() - 1).verdict(); }

        /** What to try next when the verdict is not determined: more betas, unless more betas were tried and failed. */
        public String advice() {
            return rounds.size() > 1 ? "stopped: " + stoppedBecause : "run with more betas (--until-agree)";
        }
    }

    /** A gap that shrank by less than this factor when the betas doubled is not the schedule's fault. */
    static final double STALLED = 0.75;

    private AisAgreement() {}

    /**
     * Runs rounds with scales {@code firstScale} x 1, 2, 4, ... (at most {@code maxRounds}) until the verdict is
     * determined, stopping early when the next round (about twice the last one's time) would not fit in
     * {@code budgetSeconds} (<= 0: no budget). {@code onRound} sees each round as it ends.
     */
    public static Outcome untilAgree(Directions directions, double firstScale, double tolerance, int maxRounds,
                                     double budgetSeconds, RandomStream random, Progress progress, Consumer<Round> onRound) {
        return untilAgree(directions, firstScale, tolerance, maxRounds, budgetSeconds, List.of(), random, progress, onRound);
    }

    /**
     * As above, with {@code caveats} (e.g. chains that did not mix) carried into every verdict: more betas cannot
     * remove them, so a round with caveats ends the loop.
     */
    public static Outcome untilAgree(Directions directions, double firstScale, double tolerance, int maxRounds,
                                     double budgetSeconds, List<String> caveats, RandomStream random, Progress progress,
                                     Consumer<Round> onRound) {
        if (!(firstScale > 0)) throw new InputException("the first schedule scale must be positive, got " + firstScale);
        if (maxRounds < 1) throw new InputException("need at least one round, got " + maxRounds);
        List<Round> rounds = new ArrayList<>();
        long start = System.nanoTime();
        double scale = firstScale;
        for (int r = 0; r < maxRounds; r++, scale *= 2) {
            if (r > 0 && budgetSeconds > 0) {
                double used = (System.nanoTime() - start) / 1e9;
                double next = 2.2 * rounds.get(r - 1).seconds();
                if (used + next > budgetSeconds) {
                    return new Outcome(List.copyOf(rounds), String.format(Locale.ROOT,
                            "the time budget (%.0f s) would be exceeded by the next round (about %.0f s more)", budgetSeconds, next));
                }
            }
            long t0 = System.nanoTime();
            AnnealingSchedule schedule = AnnealingSchedule.standardScaled(scale);
            AisEstimate f = directions.forward(schedule, random.split(2L * r), progress);
            AisEstimate b = directions.reverse(schedule, random.split(2L * r + 1), progress);
            Round round = new Round(scale, new AisVerdict(f, b, tolerance, caveats), (System.nanoTime() - t0) / 1e9);
            rounds.add(round);
            if (onRound != null) onRound.accept(round);
            if (round.verdict().determined()) return new Outcome(List.copyOf(rounds), "forward and reverse agree");
            if (!caveats.isEmpty()) {
                return new Outcome(List.copyOf(rounds), "the model samples are in doubt (" + String.join("; ", caveats) + "): more betas cannot fix that");
            }
            if (r > 0 && stalled(rounds.get(r - 1).verdict(), round.verdict())) {
                return new Outcome(List.copyOf(rounds), String.format(Locale.ROOT, "doubling the betas did not close the gap (%.2f -> %.2f nats): "
                        + "the reverse runs' starting states or the base, not the schedule, limit the estimate",
                        rounds.get(r - 1).verdict().gap(), round.verdict().gap()));
            }
        }
        return new Outcome(List.copyOf(rounds), "the last round (" + maxRounds + ") was reached without agreement");
    }

    /**
     * Forward and reverse apart by more than the tolerance in both rounds, with enough effective runs each, and the
     * gap not shrinking to {@link #STALLED} of itself with twice the betas (a schedule-limited gap roughly halves).
     */
    static boolean stalled(AisVerdict before, AisVerdict after) {
        if (before.reverse() == null || after.reverse() == null) return false;
        for (AisVerdict v : List.of(before, after)) {
            if (!AisVerdict.enoughEffectiveRuns(v.forward()) || !AisVerdict.enoughEffectiveRuns(v.reverse())) return false;
            if (Math.abs(v.gap()) <= v.tolerance()) return false;
        }
        return Math.abs(after.gap()) > STALLED * Math.abs(before.gap());
    }
}
