package io.livequeue.consumer.sms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.livequeue.consumer.handler.JobContext;
import io.livequeue.consumer.handler.JobHandler;
import io.livequeue.consumer.handler.PermanentJobFailure;
import io.livequeue.consumer.handler.Redact;
import io.livequeue.consumer.worker.ConsumerConfig;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * {@code sms}, the seed's own example: {@code {"to": "+<E.164 number>", "message": "..."}}. Bad input can never
 * succeed, so it fails permanently; a provider error is transient and retried. The result shows the number masked
 * ({@link Redact#phone}: {@code +44******1234}), never the message.
 */
@Singleton
public class SmsHandler implements JobHandler {

    /** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private final SmsProvider provider;
    private final int maxLength;

    SmsHandler(SmsProvider provider, ConsumerConfig config) {
        this.provider = provider;
        this.maxLength = config.smsMaxLength();
    }

    @Override
    public String type() {
        return "sms";
    }

    @Override
    public JsonNode handle(JobContext job) throws Exception {
        JsonNode to = job.payload().path("to");
        JsonNode message = job.payload().path("message");
        if (!to.isTextual() || !E164.matcher(to.asText()).matches()) {
            throw new PermanentJobFailure("sms needs \"to\": a phone number in E.164 form, like +4915112345678");
        }
        if (!message.isTextual() || message.asText().isBlank() || message.asText().length() > maxLength) {
            throw new PermanentJobFailure("sms needs \"message\": text of 1 to " + maxLength + " characters");
        }
        String providerId = provider.send(to.asText(), message.asText());
        // the result is stored, published to the sender's socket and shown on the dashboard: the number masked
        return JsonNodeFactory.instance.objectNode()
                .put("provider", provider.name())
                .put("messageId", providerId)
                .put("to", Redact.phone(to.asText()))
                .put("length", message.asText().length());
    }
}
