package io.livequeue.producer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.rdb.ApiKeys;
import io.livequeue.producer.operator.Operators;
import io.livequeue.producer.problem.FieldError;
import io.livequeue.producer.problem.JsonObjectBody;
import io.livequeue.producer.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Operators create, list and revoke the producers' API keys. A new key is shown once, in the answer that creates it;
 * Redis keeps only its digest. A key's name is its caller: keys with the same name own the same jobs, so a key is
 * rotated by creating a second one with the same name, moving the client to it, and revoking the first.
 */
@Path("/api/keys")
@RolesAllowed(Scopes.OPERATOR)
@SecurityRequirement(name = "operator")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
public class ApiKeyResource {

    private static final Logger LOG = Logger.getLogger(ApiKeyResource.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

    /** A key as listed: never the key itself. */
    public record KeyView(String id, String name, Set<String> scopes, Instant createdAt) {

        static KeyView of(ApiKeys.ApiKey key) {
            return new KeyView(key.id(), key.name(), key.scopes(), Instant.ofEpochMilli(key.createdAt()));
        }
    }

    /** The answer to a create: the key, this once. */
    public record CreatedKey(String id, String name, Set<String> scopes, Instant createdAt, String key) {
    }

    private final ApiKeys keys;
    private final ApiKeyIdentityProvider provider;
    private final ObjectMapper mapper;
    private final Operators operators;

    ApiKeyResource(ApiKeys keys, ApiKeyIdentityProvider provider, ObjectMapper mapper, Operators operators) {
        this.keys = keys;
        this.provider = provider;
        this.mapper = mapper;
        this.operators = operators;
    }

    @Operation(summary = "Create an API key: {\"name\": \"billing\", \"scopes\": [\"jobs:submit\", \"jobs:read\"]}")
    @APIResponse(responseCode = "201", description = "The key, shown this once")
    @APIResponse(responseCode = "400", description = "Invalid name or scopes")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(String body) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode root = JsonObjectBody.read(mapper, body, List.of("name", "scopes"), errors);
        String name = null;
        Set<String> scopes = new LinkedHashSet<>();
        if (root != null) {
            JsonNode n = root.get("name");
            if (n == null || !n.isTextual() || !NAME.matcher(n.asText()).matches()) {
                errors.add(new FieldError("name", "must be 1 to 64 letters, digits or _ . @ -"));
            } else {
                name = n.asText();
            }
            JsonNode s = root.get("scopes");
            if (s == null || !s.isArray() || s.isEmpty()) {
                errors.add(new FieldError("scopes", "must be a non-empty array of " + sorted(Scopes.ALL)));
            } else {
                for (JsonNode scope : s) {
                    if (!scope.isTextual() || !Scopes.ALL.contains(scope.asText())) {
                        errors.add(new FieldError("scopes", "unknown scope " + scope + "; known scopes: "
                                + sorted(Scopes.ALL)));
                    } else {
                        scopes.add(scope.asText());
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().item(Problem.response(400, "invalid-api-key", "Invalid API key request",
                    errors.size() == 1 ? errors.get(0).message() : errors.size() + " fields are invalid", "/api/keys",
                    errors).build());
        }
        String who = operators.current();
        String keyName = name;
        return keys.create(keyName, scopes).map(created -> {
            ApiKeys.ApiKey key = created.record();
            LOG.infof("operator %s: API key %s created for %s with scopes %s", who, key.id(), keyName,
                    sorted(key.scopes()));
            return Response.created(URI.create("/api/keys/" + key.id())).entity(new CreatedKey(key.id(), key.name(),
                    key.scopes(), Instant.ofEpochMilli(key.createdAt()), created.key())).build();
        });
    }

    @Operation(summary = "Every live API key (never the keys themselves)")
    @APIResponse(responseCode = "200", description = "The keys, oldest first")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @GET
    public Uni<List<KeyView>> list() {
        return keys.list().map(all -> all.stream().map(KeyView::of).toList());
    }

    @Operation(summary = "Revoke an API key: it stops working at once here, within livequeue.api-keys.cache elsewhere")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such key")
    @APIResponse(responseCode = "401", description = "No operator credentials")
    @DELETE
    @Path("/{id}")
    public Uni<Response> revoke(@PathParam("id") String id) {
        if (!ID.matcher(id).matches()) {
            return Uni.createFrom().item(notFound(id));
        }
        String who = operators.current();
        return keys.revoke(id).map(revoked -> {
            if (!revoked) {
                return notFound(id);
            }
            provider.forget(id);
            LOG.infof("operator %s: API key %s revoked", who, id);
            return Response.noContent().build();
        });
    }

    private static Response notFound(String id) {
        return Problem.response(404, "api-key-not-found", "API key not found", "no API key " + id, "/api/keys/" + id,
                null).build();
    }

    private static List<String> sorted(Set<String> scopes) {
        return scopes.stream().sorted().toList();
    }
}
