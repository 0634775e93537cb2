package io.livequeue.consumer.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.consumer.handler.Redact;
import io.livequeue.core.Ids;
import io.livequeue.core.config.StorageConfig;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.List;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The default {@link SmsProvider}: sends nothing, but logs each message (the number masked, not the text) and keeps
 * the last 1,000 in the Redis list {@code <prefix>:{jobs}:sms:outbox}, so demos and tests can see exactly what would
 * have gone out: there, as with a real gateway, the number is whole. The list is this provider's own: it is not part
 * of the job protocol, so its key and commands live here, not in livequeue-core.
 */
@Singleton
public class RecordingSmsProvider implements SmsProvider {

    private static final Logger LOG = Logger.getLogger(RecordingSmsProvider.class);
    private static final int KEEP = 1000;

    private final Redis redis;
    private final ObjectMapper mapper;
    private final String outbox;
    private final Duration timeout;

    RecordingSmsProvider(Redis redis, ObjectMapper mapper, StorageConfig storage) {
        this.redis = redis;
        this.mapper = mapper;
        this.outbox = outboxKey(storage.keyPrefix());
        this.timeout = storage.commandTimeout();
    }

    /** The list the messages are recorded in. */
    public static String outboxKey(String prefix) {
        return prefix + ":{jobs}:sms:outbox";
    }

    @Override
    public String send(String to, String message) throws Exception {
        String id = Ids.newJobId();
        String entry = mapper.writeValueAsString(Map.of("id", id, "to", to, "message", message));
        redis.batch(List.of(Request.cmd(Command.LPUSH).arg(outbox).arg(entry),
                Request.cmd(Command.LTRIM).arg(outbox).arg(0).arg(KEEP - 1))).await().atMost(timeout);
        LOG.infof("sms %s to %s (%d chars) recorded", id, Redact.phone(to), message.length());
        return id;
    }

    @Override
    public String name() {
        return "recording";
    }
}
