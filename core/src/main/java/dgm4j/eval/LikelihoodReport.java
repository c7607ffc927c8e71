package dgm4j.eval;

import java.util.List;
import java.util.Map;

import dgm4j.ais.AisEstimate;

/** What {@link Evaluation#of} measured: one line to act on, the lines behind it, and the same as JSON. */
public interface LikelihoodReport {
    /** True when the tool stands behind a single figure (e.g. forward and reverse AIS agree). */
    boolean determined();

    /** The figure per example (nats) the summary gives: the agreed value, else the forward estimate; NaN for text. */
    double averageLogProbability();

    /** One line a user can act on: the figure and what it is, or NOT DETERMINED and why. */
    String summary();

    /** The estimates behind the summary, a line each (printed before it). */
    List<String> details();

    /** Lines printed after the summary (e.g. the comparison with an exact answer). */
    default List<String> notes() { return List.of(); }

    /** The AIS estimates behind the figure, for their annealing paths (none for other estimators). */
    default List<AisEstimate> annealings() { return List.of(); }

    /** Everything above, for scripts. */
    Map<String, Object> toJson();
}
