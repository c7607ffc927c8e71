package dgm4j;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/**
 * What the interoperability tests need from the machine (Debian python3-numpy, python3-sklearn, npm). {@code .ci/run}
 * installs it and sets CI, so there a missing piece fails the test; elsewhere the test is skipped.
 */
public final class TestEnvironment {
    /** scikit-learn's copy of the UCI digits (Debian python3-sklearn). */
    public static final Path SKLEARN_DIGITS = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

    private TestEnvironment() { }

    /** Skips the calling test if {@code present} is false, or fails it under CI. */
    public static void require(boolean present, String what) {
        if (!present && System.getenv("CI") != null) fail(what + " is missing under CI (.ci/run installs it)");
        assumeTrue(present, what + " is missing");
    }
}
