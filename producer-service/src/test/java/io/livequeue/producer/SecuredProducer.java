package io.livequeue.producer;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A producer that is safe to expose: {@code livequeue.auth=api-keys,jwt}, an identity provider's key pair made for
 * the run (the producer gets the public half as a PEM file, the tests sign with the private half), and a small submit
 * rate so the limit can be reached.
 */
public class SecuredProducer implements QuarkusTestProfile {

    static final String ISSUER = "https://idp.livequeue.test";
    static final String AUDIENCE = "livequeue";
    static final int BURST = 20;
    static final KeyPair IDP = keyPair();
    static final KeyPair STRANGER = keyPair();
    private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path pem = Files.createTempFile("idp-public", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(IDP.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
            return Map.of("livequeue.auth", "api-keys,jwt",
                    "mp.jwt.verify.publickey.location", pem.toUri().toString(),
                    "mp.jwt.verify.issuer", ISSUER,
                    "mp.jwt.verify.audiences", AUDIENCE,
                    "livequeue.rate-limit.jobs-per-second", "2",
                    "livequeue.rate-limit.burst", Integer.toString(BURST));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JWT for {@code subject} with these scopes, as the identity provider signs it, valid for five minutes. */
    static String jwt(String subject, String... scopes) {
        return claims(subject, scopes).sign(IDP.getPrivate());
    }

    static JwtClaimsBuilder claims(String subject, String... scopes) {
        return Jwt.issuer(ISSUER).subject(subject).audience(AUDIENCE).scope(Set.of(scopes))
                .expiresIn(300);
    }

    static String signedBy(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.sign(key);
    }

    /**
     * A new API key of a new client named after {@code name}, created over REST by the operator. The name gets a
     * number of its own, so no test meets another's rate bucket or jobs (one application serves every test class).
     */
    static String apiKey(String name, String... scopes) {
        return Api.asOperator().contentType(ContentType.JSON)
                .body(Map.of("name", name + "-" + CLIENTS.incrementAndGet(), "scopes", List.of(scopes))).when()
                .post("/api/keys")
                .then().statusCode(201).extract().path("key");
    }

    static RequestSpecification as(String bearer) {
        return given().header("Authorization", "Bearer " + bearer);
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
