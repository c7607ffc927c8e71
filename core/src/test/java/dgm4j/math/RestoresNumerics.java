package dgm4j.math;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(RestoresNumerics.class)}: each test runs in a {@link Numerics#scope()}, so the backend, kernels
 * and threads it chooses do not leak into the tests that follow.
 */
public final class RestoresNumerics implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RestoresNumerics.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("scope", Numerics.scope());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        context.getStore(NAMESPACE).remove("scope", Numerics.Scope.class).close();
    }
}
