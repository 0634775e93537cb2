package io.livequeue.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The Java client of livequeue: submits jobs to the producer's REST API, looks them up, and follows them live over
 * a gateway WebSocket ({@link #watch}). It exists so that Java teams get the API's contract right once: typed
 * requests and answers, problem+json errors as exceptions ({@link LiveQueueException}), and safe retries (one
 * {@code Idempotency-Key} per logical submit, kept across tries, so a retried submit yields exactly one job). Plain
 * Java on the JDK's {@code java.net.http} and Jackson; thread-safe; create one and share it. Calls block the calling
 * thread (including the waits between retries).
 *
 * <pre>{@code
 * try (LiveQueueClient client = LiveQueueClient.builder().producer("http://localhost:8081")
 *         .gateways("ws://localhost:8080/ws").build()) {
 *     JobWatcher watcher = client.watch(update -> System.out.println(update.id() + " " + update.status()));
 *     SubmittedJob job = client.submit(JobRequest.of("echo").withPayload(Map.of("hello", "world")));
 * }
 * }</pre>
 */
public final class LiveQueueClient implements AutoCloseable {

    private static final String JSON = "application/json";

    private final URI producer;
    private final List<URI> gateways;
    private final HttpClient http;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final Backoff reconnectBackoff;
    private final RetryingSender sender;
    private volatile JobWatcher watcher;

    private LiveQueueClient(Builder builder) {
        this.producer = builder.producer;
        this.gateways = List.copyOf(builder.gateways);
        this.headers = Map.copyOf(builder.headers);
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.idleTimeout = builder.idleTimeout;
        this.reconnectBackoff = new Backoff(builder.reconnectBase, builder.reconnectMax);
        this.http = builder.http != null ? builder.http : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).build();
        this.sender = new RetryingSender(http, builder.retryPolicy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Submits one job ({@code POST /api/jobs}) with a fresh Idempotency-Key, retried under the {@link RetryPolicy}.
     * With a watcher attached ({@link #watch}) the job goes to its inbox unless {@code replyTo} is set, and the
     * watcher follows it.
     */
    public SubmittedJob submit(JobRequest request) {
        return submit(request, newIdempotencyKey());
    }

    /**
     * As {@link #submit(JobRequest)} with your own Idempotency-Key (1–255 visible ASCII characters), e.g. one you
     * stored to survive a restart of your process: within 24 h the same key answers with the same job.
     */
    public SubmittedJob submit(JobRequest request, String idempotencyKey) {
        Objects.requireNonNull(request, "request");
        JobWatcher attached = watcher;
        JobRequest sent = withInbox(request, attached);
        HttpResponse<String> response = sender.send(post("/api/jobs", WireFormat.submitBody(sent), idempotencyKey));
        SubmittedJob job = WireFormat.submitted(WireFormat.read(response.body()));
        if (attached != null) {
            attached.register(job.id(), job.token(), sent.replyTo());
        }
        return job;
    }

    /** Submits up to 1,000 jobs at once ({@code POST /api/jobs/batch}): all are stored or none. Answers in order. */
    public List<SubmittedJob> submitBatch(List<JobRequest> requests) {
        return submitBatch(requests, newIdempotencyKey());
    }

    /** As {@link #submitBatch(List)} with your own Idempotency-Key. */
    public List<SubmittedJob> submitBatch(List<JobRequest> requests, String idempotencyKey) {
        Objects.requireNonNull(requests, "requests");
        JobWatcher attached = watcher;
        List<JobRequest> sent = new ArrayList<>(requests.size());
        requests.forEach(request -> sent.add(withInbox(Objects.requireNonNull(request, "request"), attached)));
        HttpResponse<String> response = sender.send(post("/api/jobs/batch", WireFormat.batchBody(sent),
                idempotencyKey));
        List<SubmittedJob> jobs = WireFormat.submittedBatch(WireFormat.read(response.body()));
        if (attached != null) {
            for (int i = 0; i < jobs.size() && i < sent.size(); i++) {
                attached.register(jobs.get(i).id(), jobs.get(i).token(), sent.get(i).replyTo());
            }
        }
        return jobs;
    }

    /**
     * The job as stored now ({@code GET /api/jobs/{id}}), retried like a submit.
     *
     * @throws JobNotFoundException if there is no such job (finished jobs expire after their retention)
     */
    public JobView status(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        HttpRequest request = request("/api/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8)).GET().build();
        return WireFormat.view(WireFormat.read(sender.send(request).body()));
    }

    /**
     * Like {@link #status(String)}, with the job's token in a {@code Job-Token} header: reads the job with no other
     * credentials (the token is the capability to watch one job), also when the producer asks callers to authenticate.
     */
    public JobView status(SubmittedJob job) {
        Objects.requireNonNull(job, "job");
        HttpRequest request = request("/api/jobs/" + URLEncoder.encode(job.id(), StandardCharsets.UTF_8))
                .header("Job-Token", job.token()).GET().build();
        return WireFormat.view(WireFormat.read(sender.send(request).body()));
    }

    /**
     * Cancels a job ({@code POST /api/jobs/{id}/cancel}) with its token in a {@code Job-Token} header: the token is
     * the capability to cancel the job, as it is to watch it, so no other credentials are needed. A job that has not
     * started (queued, scheduled, waiting to retry) is cancelled at once and never runs; a running one has its
     * handler told, and ends {@code cancelled}, or {@code completed} if it finished first. Retried like a submit.
     *
     * @throws JobFinishedException if the job already ended (a {@link ConflictException}); after a try that got no
     *                              answer, the first try may have been the one that cancelled it
     * @throws JobNotFoundException if there is no such job
     */
    public Cancellation cancel(SubmittedJob job) {
        Objects.requireNonNull(job, "job");
        return cancel(cancelRequest(job.id()).header("Job-Token", job.token()));
    }

    /**
     * As {@link #cancel(SubmittedJob)}, authorised by this client's credentials ({@link Builder#bearerToken}): an
     * operator's, or those of the job's owner where the producer checks owners.
     */
    public Cancellation cancel(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return cancel(cancelRequest(jobId));
    }

    private Cancellation cancel(HttpRequest.Builder request) {
        HttpResponse<String> response = sender.send(request.POST(HttpRequest.BodyPublishers.noBody()).build());
        JobView job = WireFormat.view(WireFormat.read(response.body()));
        return new Cancellation(response.statusCode() == 202 ? Cancellation.Outcome.REQUESTED
                : Cancellation.Outcome.CANCELLED, job);
    }

    private HttpRequest.Builder cancelRequest(String jobId) {
        return request("/api/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8) + "/cancel");
    }

    /**
     * Connects a {@link JobWatcher} to the gateways and attaches it: jobs submitted from now on go to its inbox (unless
     * they name a {@code replyTo}) and it follows them, across reconnects, until they end. One watcher per client;
     * closing the client closes it.
     *
     * @throws IllegalStateException if no gateway URL was configured, or a watcher is already attached
     */
    public synchronized JobWatcher watch(JobListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (gateways.isEmpty()) {
            throw new IllegalStateException("no gateway URL: set one with LiveQueueClient.builder().gateways(…)");
        }
        if (watcher != null) {
            throw new IllegalStateException("a watcher is already attached to this client");
        }
        JobWatcher started = new JobWatcher(gateways, http, headers, connectTimeout, idleTimeout, reconnectBackoff,
                listener);
        started.start();
        watcher = started;
        return started;
    }

    /** Closes the attached watcher, if any. */
    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    private static JobRequest withInbox(JobRequest request, JobWatcher attached) {
        if (request.replyTo() != null || attached == null) {
            return request;
        }
        return attached.inbox().map(request::withReplyTo).orElse(request);
    }

    private HttpRequest post(String path, String body, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return request(path).header("Content-Type", JSON).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder request(String path) {
        if (producer == null) {
            throw new IllegalStateException("no producer URL: set one with LiveQueueClient.builder().producer(…)");
        }
        String base = producer.toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Accept", JSON + ", application/problem+json");
        headers.forEach(builder::header);
        return builder;
    }

    private static String newIdempotencyKey() {
        return UUID.randomUUID().toString();
    }

    /** Settings of a {@link LiveQueueClient}; every one has a default except the URLs. */
    public static final class Builder {
        private URI producer;
        private final List<URI> gateways = new ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration reconnectBase = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(10);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private HttpClient http;

        private Builder() {
        }

        /** The producer's base URL, e.g. {@code http://localhost:8081}. */
        public Builder producer(String baseUrl) {
            return producer(URI.create(baseUrl));
        }

        public Builder producer(URI baseUrl) {
            this.producer = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** Gateway WebSocket URLs, e.g. {@code ws://localhost:8080/ws}; a watcher moves to the next after a failure. */
        public Builder gateways(String... urls) {
            for (String url : urls) {
                gateways.add(URI.create(url));
            }
            return this;
        }

        public Builder gateways(List<URI> urls) {
            gateways.addAll(urls);
            return this;
        }

        /** Sends {@code Authorization: Bearer <token>} on every request and WebSocket upgrade. */
        public Builder bearerToken(String token) {
            return header("Authorization", "Bearer " + Objects.requireNonNull(token, "token"));
        }

        /** Sends a header of your own on every request and WebSocket upgrade, e.g. an API key. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long to wait for a TCP connection (REST and WebSocket); default 5 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long to wait for one answer to one try of a request; default 10 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Silence after which a watcher gives a gateway up and reconnects; default 60 s (gateways ping every 20 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The watcher's reconnect back-off (full jitter, doubling from {@code base} up to {@code max}). */
        public Builder reconnectBackoff(Duration base, Duration max) {
            this.reconnectBase = Objects.requireNonNull(base, "base");
            this.reconnectMax = Objects.requireNonNull(max, "max");
            return this;
        }

        /** Retries of REST calls; default {@link RetryPolicy#defaults()}. */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** An HTTP client of your own (TLS settings, proxy, executor); by default one is made for this client. */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        public LiveQueueClient build() {
            if (producer == null && gateways.isEmpty()) {
                throw new IllegalStateException("set the producer URL, the gateway URLs, or both");
            }
            return new LiveQueueClient(this);
        }
    }
}
