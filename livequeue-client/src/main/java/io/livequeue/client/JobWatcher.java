package io.livequeue.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows jobs live over a gateway WebSocket and tells a {@link JobListener} every change once, in order. It exists
 * because a socket alone loses things: on a reconnect the gateway's inbox changes and every subscription is gone. The
 * watcher keeps the jobs it follows (id and token) until they end, and after each reconnect (full-jitter exponential
 * back-off, rotating through the gateway URLs it was given) subscribes to each again by token, including jobs that
 * were sent to the old inbox; each subscription starts with the job's current state, so nothing that happened in
 * between is missed, and the job's version ({@code v}) drops what the listener already has. Jobs submitted through a
 * {@link LiveQueueClient} this watcher is attached to ({@link LiveQueueClient#watch}) are sent to its inbox and
 * followed by themselves. A gateway lets one socket follow at most 1,000 unfinished jobs by subscription (jobs that
 * reach the inbox do not count); finished jobs are unsubscribed at once.
 */
public final class JobWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JobWatcher.class.getName());
    private static final Pattern JOB_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int REMEMBERED_JOBS = 100_000;

    private final List<URI> gateways;
    private final HttpClient http;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Backoff backoff;
    private final JobListener listener;
    private final ScheduledExecutorService timer;
    private final GatewayConnection.Handler handler = new Handler();
    private final FollowedJobs followed = new FollowedJobs();
    private final DeliveryLedger ledger = new DeliveryLedger(REMEMBERED_JOBS);

    // guarded by this
    private GatewayConnection current;
    private String inbox;
    private int next;
    private int failures;
    private boolean closed;

    JobWatcher(List<URI> gateways, HttpClient http, Map<String, String> headers, Duration connectTimeout,
            Duration idleTimeout, Backoff backoff, JobListener listener) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("a watcher needs at least one gateway URL");
        }
        this.gateways = List.copyOf(gateways);
        this.http = http;
        this.headers = Map.copyOf(headers);
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.backoff = backoff;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "livequeue-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects to the first gateway and starts watching for silence. */
    void start() {
        long every = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::checkSilence, every, every, TimeUnit.MILLISECONDS);
        connect();
    }

    /**
     * Follows job {@code jobId} with its {@code token} (from the submit's answer) until it ends: its current state
     * arrives at once, then every change, across reconnects. Following a job again changes nothing.
     *
     * @throws IllegalStateException if the watcher is closed
     */
    public void follow(String jobId, String token) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the watcher is closed");
            }
        }
        register(jobId, token, null);
    }

    /** Stops following {@code jobId}; updates already on their way may still arrive. */
    public synchronized void unfollow(String jobId) {
        if (followed.remove(jobId) && current != null) {
            current.send(frame("unsubscribe", jobId, null));
        }
    }

    /** The inbox of the current connection (give it as {@code replyTo}); empty while (re)connecting. */
    public synchronized Optional<String> inbox() {
        return Optional.ofNullable(inbox);
    }

    /** The gateway this watcher is connected to (its welcome received); empty while (re)connecting. */
    public synchronized Optional<URI> connectedGateway() {
        return inbox == null ? Optional.empty() : Optional.of(current.uri());
    }

    public synchronized boolean isConnected() {
        return inbox != null;
    }

    /** How many unfinished jobs are being followed. */
    public synchronized int followedJobs() {
        return followed.size();
    }

    /** Closes the connection and stops reconnecting; the listener hears nothing more. */
    @Override
    public void close() {
        GatewayConnection last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
            current = null;
            inbox = null;
        }
        if (last != null) {
            last.close();
        }
        timer.shutdownNow();
    }

    /**
     * Follows a job submitted with {@code replyTo} as its inbox (null: none): subscribed by token unless its events
     * already come to the current inbox, and again after every reconnect. Ignored once the watcher is closed, or if
     * the job already ended (its events may have beaten the submit's answer).
     */
    synchronized void register(String jobId, String token, String replyTo) {
        if (closed || ledger.isFinal(jobId) || followed.get(jobId) != null) {
            return;
        }
        followed.add(new FollowedJobs.Followed(jobId, token, replyTo));
        if (inbox != null && !inbox.equals(replyTo)) {
            subscribe(followed.get(jobId));
        }
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        URI uri = gateways.get(next % gateways.size());
        current = new GatewayConnection(uri, handler);
        inbox = null;
        current.open(http, headers, connectTimeout);
    }

    private synchronized void checkSilence() {
        GatewayConnection connection = current;
        if (connection == null) {
            return;
        }
        if (inbox == null && connection.silentNanos() > connectTimeout.toNanos() * 2) {
            connection.abort("no welcome within " + connectTimeout.multipliedBy(2).toMillis() + " ms");
        } else if (inbox != null && connection.silentNanos() > idleTimeout.toNanos()) {
            connection.abort("nothing heard for " + idleTimeout.toMillis() + " ms");
        }
    }

    private void subscribe(FollowedJobs.Followed job) {
        current.send(frame("subscribe", job.id(), job.token()));
        followed.subscribed(job.id());
    }

    private synchronized void frame(GatewayConnection connection, String text) {
        if (connection != current || closed) {
            return;
        }
        JsonNode node;
        try {
            node = WireFormat.read(text);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring a frame that is not JSON from {0}", connection.uri());
            return;
        }
        switch (node.path("event").asText()) {
            case "welcome" -> welcome(connection, WireFormat.text(node, "inbox"));
            case "job" -> update(WireFormat.update(node));
            case "error" -> error(WireFormat.text(node, "code"), WireFormat.text(node, "message"));
            default -> {
                // subscribed, unsubscribed, and whatever a newer gateway adds
            }
        }
    }

    private void welcome(GatewayConnection connection, String newInbox) {
        if (newInbox == null) {
            connection.abort("welcome without an inbox");
            return;
        }
        inbox = newInbox;
        failures = 0;
        notify(() -> listener.onConnected(connection.uri(), newInbox));
        for (FollowedJobs.Followed job : followed.all()) {
            if (!newInbox.equals(job.replyTo())) {
                subscribe(job);
            }
        }
    }

    private void update(JobUpdate update) {
        if (update.id() == null) {
            return;
        }
        if (ledger.admit(update)) {
            notify(() -> listener.onUpdate(update));
        }
        if (ledger.isFinal(update.id()) && followed.remove(update.id()) && current != null) {
            current.send(frame("unsubscribe", update.id(), null));
        }
    }

    private void error(String code, String message) {
        String jobId = null;
        if (message != null && ("forbidden".equals(code) || "not-found".equals(code))) {
            Matcher id = JOB_ID.matcher(message);
            if (id.find() && followed.get(id.group()) != null) {
                jobId = id.group();
                followed.remove(jobId);
            }
        }
        GatewayError error = new GatewayError(code, message, jobId);
        notify(() -> listener.onError(error));
    }

    private synchronized void closed(GatewayConnection connection, String reason) {
        if (connection != current) {
            return;
        }
        boolean wasConnected = inbox != null;
        current = null;
        inbox = null;
        followed.connectionLost();
        if (closed) {
            return;
        }
        if (wasConnected) {
            notify(() -> listener.onDisconnected(connection.uri(), reason));
        }
        failures++;
        next++;
        Duration wait = backoff.delay(failures);
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; next try in {2} ms", connection.uri(), reason, wait.toMillis());
        timer.schedule(this::connect, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the job listener threw", e);
        }
    }

    private static String frame(String op, String jobId, String token) {
        ObjectNode frame = Json.MAPPER.createObjectNode().put("op", op).put("job", jobId);
        if (token != null) {
            frame.put("token", token);
        }
        return frame.toString();
    }

    /** The connection's signals, routed to the watcher's guarded methods. */
    private final class Handler implements GatewayConnection.Handler {
        @Override
        public void frame(GatewayConnection connection, String text) {
            JobWatcher.this.frame(connection, text);
        }

        @Override
        public void closed(GatewayConnection connection, String reason) {
            JobWatcher.this.closed(connection, reason);
        }
    }
}
