package io.livequeue.consumer.sms;

/**
 * Where {@code sms} jobs are sent. The default {@link RecordingSmsProvider} only records; a real gateway (Twilio,
 * Vonage, …) is one {@code @Alternative @Priority(1)} bean implementing this.
 */
public interface SmsProvider {

    /** Sends one message and returns the provider's id for it; throws to fail the attempt (it will be retried). */
    String send(String to, String message) throws Exception;

    /** A short name stored in the job's result. */
    String name();
}
