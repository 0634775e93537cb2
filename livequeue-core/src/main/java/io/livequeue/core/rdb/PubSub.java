package io.livequeue.core.rdb;

/**
 * Which flavour of Redis pub/sub carries the events. On Redis Cluster plain PUBLISH is broadcast to every node of the
 * cluster; sharded pub/sub (Redis 7) keeps a channel on the shard that owns its slot, which is where the scripts
 * that publish run anyway (the channel shares the {@code {jobs}} hash tag).
 */
public enum PubSub {
    PLAIN("PUBLISH", "SUBSCRIBE", "message"),
    SHARDED("SPUBLISH", "SSUBSCRIBE", "smessage");

    private final String publish;
    private final String subscribe;
    private final String messageType;

    PubSub(String publish, String subscribe, String messageType) {
        this.publish = publish;
        this.subscribe = subscribe;
        this.messageType = messageType;
    }

    /** The command the scripts publish with. */
    public String publishCommand() {
        return publish;
    }

    /** The command a subscriber listens with. */
    public String subscribeCommand() {
        return subscribe;
    }

    /** The type of the push message a subscriber receives ("message" or "smessage"). */
    public String messageType() {
        return messageType;
    }
}
