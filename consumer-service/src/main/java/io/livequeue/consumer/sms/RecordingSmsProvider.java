package io.livequeue.consumer.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livequeue.core.Ids;
import io.livequeue.core.rdb.JobStore;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The default {@link SmsProvider}: sends nothing, but logs each message and keeps the last 1,000 in the Redis list
 * {@code <prefix>:{jobs}:sms:outbox}, so demos and tests can see exactly what would have gone out.
 */
@Singleton
public class RecordingSmsProvider implements SmsProvider {

    private static final Logger LOG = Logger.getLogger(RecordingSmsProvider.class);
    private static final int KEEP = 1000;

    private final JobStore store;
    private final ObjectMapper mapper;

    RecordingSmsProvider(JobStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    @Override
    public String send(String to, String message) throws Exception {
        String id = Ids.newJobId();
        String entry = mapper.writeValueAsString(Map.of("id", id, "to", to, "message", message));
        store.record(store.keys().smsOutbox(), entry, KEEP).await().indefinitely();
        LOG.infof("sms %s to %s (%d chars) recorded", id, to, message.length());
        return id;
    }

    @Override
    public String name() {
        return "recording";
    }
}
