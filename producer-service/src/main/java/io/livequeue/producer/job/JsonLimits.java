package io.livequeue.producer.job;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds every JSON document the producer reads (request bodies through {@link JobRequestParser}, the queue limits an
 * operator puts, anything read with the application's {@link ObjectMapper}), so that hostile input is refused as
 * invalid JSON before it costs a deep stack, a long number conversion or a huge string:
 * <ul>
 * <li>nesting: at most {@value #MAX_DEPTH} levels in a whole document (a payload itself may nest
 * {@value JobRequestParser#MAX_PAYLOAD_DEPTH}: see there);</li>
 * <li>numbers: at most {@value #MAX_NUMBER_LENGTH} characters (digits, sign, point, exponent);</li>
 * <li>strings and field names: at most {@code livequeue.producer.max-payload-bytes} characters, as no such string could
 * be part of a payload under that limit (a string of n characters is at least n bytes of JSON);</li>
 * <li>a document read as a whole: at most {@code livequeue.producer.max-body-bytes}.</li>
 * </ul>
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    /** Levels of nesting allowed in any document (an object or array opens a level). */
    public static final int MAX_DEPTH = 64;
    /** Characters allowed in one number: ~100 digits covers every real identifier, amount or coordinate. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private final ProducerConfig config;

    JsonLimits(ProducerConfig config) {
        this.config = config;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(constraints(config));
    }

    static StreamReadConstraints constraints(ProducerConfig config) {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxStringLength(config.maxPayloadBytes())
                .maxNameLength(config.maxPayloadBytes())
                .maxDocumentLength(config.maxBodyBytes())
                .build();
    }
}
