package io.livequeue.producer.operator;

import io.livequeue.core.OperatorToken;
import io.livequeue.producer.problem.Problem;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Lets a request to an {@link OperatorOnly} endpoint through only with {@code Authorization: Bearer <operator token>};
 * anything else gets a problem+json 401 before the endpoint (or Redis) is touched. The token is looked up lazily:
 * REST filters are built during static init, before the runtime configuration exists.
 */
@Singleton
public class OperatorGuard {

    /** The scheme and realm a client is told to use, as RFC 6750 asks of a 401. */
    public static final String CHALLENGE = "Bearer realm=\"livequeue-operator\"";

    private final Provider<OperatorToken> token;

    OperatorGuard(Provider<OperatorToken> token) {
        this.token = token;
    }

    /** A development token in production is warned about at start, not at the first dead-letter call. */
    void checkTokenAtStart(@Observes StartupEvent event) {
        token.get();
    }

    @OperatorOnly
    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (token.get().matchesBearer(authorization)) {
            return Optional.empty();
        }
        String detail = authorization == null
                ? "this endpoint is for operators: send Authorization: Bearer <livequeue.operator.token>"
                : "the operator token is not valid";
        return Optional.of(Problem.response(401, "unauthorized", "Unauthorized", detail,
                request.getUriInfo().getRequestUri().getRawPath(), null)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build());
    }
}
