// livequeue.js: a small client for livequeue. Submits jobs to the producer and follows them over the gateway's
// WebSocket. ES module, no dependencies, no build step. Works in browsers and in Node 22+ (global WebSocket and fetch;
// Node 20.10+ with --experimental-websocket). Served by the gateway at /livequeue.js.
//
//   import { connect } from 'http://localhost:8080/livequeue.js';
//   const lq = connect({ gateway: 'http://localhost:8080', producer: 'http://localhost:8081' });
//   const job = await lq.submit({ type: 'echo', payload: { hi: 1 } });
//   lq.watch(job, (ev) => console.log(ev.id, ev.status, ev.result ?? ev.error));
//
// Job events: {event: 'job', id, type, status, attempts, result, error, v}, and two optional fields:
//   status   scheduled (waits for its due time) → queued → active → completed | failed (will retry) | dead, and
//            cancelled from any status before a final one. completed, dead and cancelled are final (isFinal()).
//            A status this file does not know (a newer release's) is passed on as it comes.
//   runAt    on a scheduled job's event: when it is due (epoch ms).
//   progress on an active job's progress report: {percent: 0..100, data: any JSON or null}. A report is a job event
//            of its own (status active) with a grown v: listeners get each once, in order, like any change; the
//            next status change carries no progress.
// Scheduling and cancelling go through the producer: submit({..., delay: 5000}) (ms, or an ISO-8601 duration such
// as 'PT5M'; or runAt: an RFC 3339 instant) and cancel(job) (POST /api/jobs/{id}/cancel with the job's token: the
// token that lets you watch a job also lets you cancel it).

const RANK = { scheduled: 0, queued: 1, active: 2, failed: 3, completed: 4, dead: 4, cancelled: 4 };
const FINAL = new Set(['completed', 'dead', 'cancelled']);

/** True for a status after which a job never changes again: `completed`, `dead`, `cancelled`. */
export const isFinal = (status) => FINAL.has(status);

/**
 * Whether job event `ev` is newer than `last` (the last one delivered; none: always newer). By the job's version `v`
 * when both carry one; otherwise a final status is never followed, a higher attempt number is newer, and within one
 * attempt the status order queued < active < failed < final decides. A status this file does not know is newer
 * unless it repeats the last one.
 * @param {{status?: string, attempts?: number, v?: number}} ev
 * @param {{status?: string, attempts?: number, v?: number} | null | undefined} last
 * @returns {boolean}
 */
export function isNewer(ev, last) {
  if (!last) return true;
  if (Number.isFinite(ev.v) && Number.isFinite(last.v)) return ev.v > last.v;
  if (FINAL.has(last.status)) return false;
  const a = ev.attempts ?? 0;
  const b = last.attempts ?? 0;
  if (a !== b) return a > b;
  const r = RANK[ev.status];
  const s = RANK[last.status];
  return r === undefined || s === undefined ? ev.status !== last.status : r > s;
}

/** An error answer of the producer: carries the problem+json fields (`type`, `title`, `status`, `detail`, `errors`). */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    Object.assign(this, problem);
    this.name = 'ProblemError';
    this.status = status;
  }
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) return reject(signal.reason);
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0'))
  .join('');

function retryAfter(res) {
  const h = res.headers.get('Retry-After');
  if (!h) return null;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(h);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

async function problemOf(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  return new ProblemError(res.status, body && typeof body === 'object' ? body
    : { title: `HTTP ${res.status} ${res.statusText || ''}`.trim() });
}

/**
 * Connects to a gateway and keeps connected: reconnects with full-jitter exponential back-off, follows every watched or
 * submitted job again (by id and token) after a reconnect, and delivers each status of a job once, never an older one
 * after a newer.
 * @param {object} [options]
 * @param {string} [options.gateway] the gateway, `http(s)://host:port` or `ws(s)://…` (path `/ws` if none); default:
 *   where this file was loaded from
 * @param {string} [options.producer] the producer's base URL; default: the gateway's `/api/config`, else the
 *   gateway's host on port 8081
 * @param {boolean} [options.replyTo=true] whether submit() sends jobs' events to this connection's inbox
 * @param {string | (() => string | Promise<string>)} [options.bearer] a credential for the producer (a JWT from
 *   your identity provider; never put an API key in a page), or a function that returns the current one: sent as
 *   `Authorization: Bearer …` with every submit
 * @param {number} [options.retries=5] how often submit() retries a network error, 503 or 429
 * @param {{base?: number, cap?: number}} [options.backoff] back-off in ms (default 250, capped at 10000)
 * @param {number} [options.maxJobs=10000] finished, unwatched jobs remembered (to drop repeated events) at most
 * @param {typeof WebSocket} [options.WebSocket] a WebSocket implementation (default: the global one)
 * @param {typeof fetch} [options.fetch] a fetch implementation (default: the global one)
 * @returns {Client}
 */
export function connect(options = {}) {
  const {
    replyTo: useInbox = true, retries: defaultRetries = 5, maxJobs = 10000,
    WebSocket: WS = globalThis.WebSocket, fetch: fetchImpl = globalThis.fetch.bind(globalThis),
  } = options;
  const base = options.backoff?.base ?? 250;
  const cap = options.backoff?.cap ?? 10000;
  const here = /^https?:/.test(import.meta.url) ? import.meta.url : null;
  if (!options.gateway && !here) throw new TypeError('connect() needs {gateway: "http://host:8080"}');
  const http = new URL(options.gateway || '/', here || undefined);
  http.protocol = http.protocol.replace(/^ws/, 'http');
  const wsUrl = new URL(http);
  wsUrl.protocol = http.protocol.replace(/^http/, 'ws');
  if (wsUrl.pathname === '/') wsUrl.pathname = '/ws';

  const handlers = new Map(); // event name -> Set of functions
  const jobs = new Map(); // id -> {id, token, last, listeners, inbox (the one its events go to), subscribed}
  let ws = null;
  let inbox = null;
  let state = 'connecting';
  let failures = 0;
  let everConnected = false;
  let closed = false;
  let timer = null;
  let producer = null;

  function call(fn, ...args) {
    try { fn(...args); } catch (e) { setTimeout(() => { throw e; }); } // one listener's error must not stop the rest
  }

  function emit(name, ...args) {
    for (const fn of handlers.get(name) ?? []) call(fn, ...args);
  }

  function setState(next, detail = {}) {
    state = next;
    emit('state', { state: next, ...detail });
  }

  function send(frame) {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    return true;
  }

  function record(id) {
    let rec = jobs.get(id);
    if (!rec) jobs.set(id, rec = { id, token: null, last: null, listeners: new Set(), inbox: null, subscribed: false });
    return rec;
  }

  // Subscribe when this connection would not hear of the job otherwise (not sent to its inbox) and it can change.
  function follow(rec) {
    if (!inbox || !rec.token || rec.subscribed || rec.inbox === inbox || FINAL.has(rec.last?.status)) return;
    rec.subscribed = send({ op: 'subscribe', job: rec.id, token: rec.token });
  }

  function prune() {
    for (const [id, rec] of jobs) {
      if (jobs.size <= maxJobs) return;
      if (!rec.listeners.size && (!rec.token || FINAL.has(rec.last?.status))) jobs.delete(id);
    }
  }

  function onJob(ev) {
    const rec = record(ev.id);
    if (!isNewer(ev, rec.last)) return;
    rec.last = ev;
    for (const fn of rec.listeners) call(fn, ev);
    emit('job', ev);
    if (FINAL.has(ev.status)) {
      if (rec.subscribed) rec.subscribed = !send({ op: 'unsubscribe', job: ev.id });
      prune();
    }
  }

  function onFrame(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { emit('frame', null, text); return; }
    switch (msg?.event) {
      case 'welcome':
        inbox = msg.inbox;
        failures = 0; // only a welcome proves the connection works
        everConnected = true;
        setState('connected', { inbox });
        emit('welcome', msg);
        for (const rec of jobs.values()) follow(rec);
        break;
      case 'job':
        if (typeof msg.id === 'string') onJob(msg);
        break;
      case 'progress': { // optional: passed on as it comes, unless the job has finished
        const rec = jobs.get(msg.id);
        if (rec && FINAL.has(rec.last?.status)) break;
        for (const fn of rec?.listeners ?? []) call(fn, msg);
        emit('progress', msg);
        break;
      }
      case 'error':
        emit('error', msg);
        break;
      case 'subscribed':
      case 'unsubscribed':
        break;
      default:
        emit('frame', msg, text);
    }
  }

  function open() {
    timer = null;
    if (closed) return;
    setState(everConnected ? 'reconnecting' : 'connecting');
    const socket = new WS(wsUrl.href);
    ws = socket;
    socket.onmessage = (e) => { if (ws === socket) onFrame(e.data); };
    socket.onerror = () => {}; // a close always follows
    socket.onclose = (e) => {
      if (ws !== socket) return;
      ws = null;
      inbox = null;
      for (const rec of jobs.values()) rec.subscribed = false;
      if (closed) { setState('closed', { code: e.code }); return; }
      // full jitter: uniform in [0, min(cap, base * 2^n)], so that clients do not come back in lockstep
      const delay = Math.random() * Math.min(cap, base * 2 ** Math.min(failures++, 30));
      setState(everConnected ? 'reconnecting' : 'connecting', { code: e.code, reason: e.reason, delay });
      timer = setTimeout(open, delay);
    };
  }

  async function discoverProducer() {
    const fallback = `${http.protocol}//${http.hostname}:8081`;
    try {
      const res = await fetchImpl(new URL('/api/config', http));
      return (res.ok && (await res.json())?.producerUrl) || fallback;
    } catch {
      return fallback;
    }
  }

  /**
   * @typedef {object} Client
   * @property {string} state `connecting`, `connected`, `reconnecting` or `closed`
   * @property {string | null} inbox this connection's inbox (null while disconnected)
   */
  const client = {
    get state() { return state; },
    get inbox() { return inbox; },

    /**
     * Listens to `state` ({state, code?, delay?, inbox?}), `welcome`, `job` (every job event delivered: submitted,
     * watched, or sent to the inbox by someone else; progress reports included, as job events with `progress`),
     * `progress` (a separate `{"event":"progress"}` frame, which no gateway sends today), `error` (the gateway's error
     * frames) and `frame` (anything else: (parsed or null, text)).
     * @param {string} name
     * @param {Function} fn
     * @returns {() => void} stops listening
     */
    on(name, fn) {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name).add(fn);
      return () => handlers.get(name).delete(fn);
    },

    /**
     * Asks the producer to cancel a job (POST /api/jobs/{id}/cancel, its token in `Job-Token`). A job that waits
     * (scheduled, queued, waiting to retry) is cancelled at once (200); a running one's handler is told (202), and
     * the job then ends `cancelled`, or `completed` if it finished first: its event says which.
     * @param {{id: string, token?: string} | string} job what submit() answered, or a followed job's id
     * @param {{signal?: AbortSignal}} [opts]
     * @returns {Promise<object>} the job's detail as the producer answers (`cancelRequested: true` when it runs)
     * @throws {ProblemError} e.g. 409 when the job has finished already, 404 when there is no such job
     */
    async cancel(job, { signal } = {}) {
      const id = typeof job === 'string' ? job : job.id;
      const token = (typeof job === 'object' && job.token) || jobs.get(id)?.token;
      if (!token) throw new TypeError(`cancel() needs the token of job ${id}`);
      const base = String(await (producer ??= options.producer || discoverProducer())).replace(/\/+$/, '');
      const res = await fetchImpl(`${base}/api/jobs/${encodeURIComponent(id)}/cancel`,
        { method: 'POST', signal, headers: { Accept: 'application/json', 'Job-Token': token } });
      if (!res.ok) throw await problemOf(res);
      return res.json().catch(() => ({}));
    },

    /**
     * Submits a job (POST /api/jobs), with `replyTo` set to this connection's inbox unless given. Retries network
     * errors, 503 and 429 (after Retry-After, else with back-off) under one Idempotency-Key, so at most one job is made.
     * The job is then followed: its events reach `job` listeners and watch(), after reconnects too.
     * `delay` (ms or an ISO-8601 duration) or `runAt` (RFC 3339) schedule it: the answer then says `scheduled`
     * and when it is due (`runAt`, epoch ms); `ttl` or `expiresAt` give it a deadline.
     * @param {{type: string, payload?: any, priority?: string, maxAttempts?: number, replyTo?: string,
     *   delay?: number | string, runAt?: string, ttl?: number | string, expiresAt?: string}} job
     * @param {{idempotencyKey?: string, retries?: number, signal?: AbortSignal}} [opts]
     * @returns {Promise<{id: string, token: string, type: string, status: string, runAt?: number}>} the producer's
     *   answer
     * @throws {ProblemError} on any other error answer; the network error once retries are used up
     */
    async submit(job, { idempotencyKey = newKey(), retries = defaultRetries, signal } = {}) {
      const body = { ...job };
      if (body.replyTo === undefined && useInbox && inbox) body.replyTo = inbox;
      const url = `${String(await (producer ??= options.producer || discoverProducer())).replace(/\/+$/, '')}/api/jobs`;
      for (let attempt = 0; ; attempt++) {
        let res;
        try {
          const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey };
          const bearer = typeof options.bearer === 'function' ? await options.bearer() : options.bearer;
          if (bearer) headers.Authorization = `Bearer ${bearer}`;
          res = await fetchImpl(url, { method: 'POST', body: JSON.stringify(body), signal, headers });
        } catch (err) {
          if (signal?.aborted || attempt >= retries) throw err;
          await sleep(Math.random() * Math.min(cap, base * 2 ** attempt), signal);
          continue;
        }
        if (res.ok) {
          const created = await res.json();
          const rec = record(created.id);
          rec.token = created.token;
          rec.inbox = body.replyTo ?? null;
          follow(rec);
          return created;
        }
        const problem = await problemOf(res);
        if ((res.status !== 503 && res.status !== 429) || attempt >= retries) throw problem;
        await sleep(retryAfter(res) ?? Math.random() * Math.min(cap, base * 2 ** attempt), signal);
      }
    },

    /**
     * Follows a job: `listener` gets each newer event of it (status changes and progress reports), also after
     * reconnects.
     * The job's latest known status, if newer than the one in `job`, is delivered at once.
     * @param {{id: string, token?: string, status?: string, attempts?: number, v?: number}} job what submit()
     *   answered, a stored job, or {id, token} (without a token only events sent to this inbox arrive)
     * @param {(event: object) => void} [listener]
     * @returns {() => void} removes the listener
     */
    watch(job, listener) {
      const rec = record(job.id);
      if (job.token) rec.token = job.token;
      const known = job.status ? { status: job.status, attempts: job.attempts ?? 0, v: job.v } : null;
      if (!rec.last && known) rec.last = known;
      if (listener) {
        rec.listeners.add(listener);
        const last = rec.last;
        if (last?.event === 'job' && isNewer(last, known)) {
          queueMicrotask(() => { if (rec.listeners.has(listener) && rec.last === last) call(listener, last); });
        }
      }
      follow(rec);
      return () => rec.listeners.delete(listener);
    },

    /** Stops following a job: forgets it and unsubscribes. @param {string} id */
    unwatch(id) {
      const rec = jobs.get(id);
      if (rec?.subscribed) send({ op: 'unsubscribe', job: id });
      jobs.delete(id);
    },

    /** Sends a raw frame (object or text); false when not connected. @param {object | string} frame */
    send,

    /** Closes the connection for good. */
    close() {
      closed = true;
      clearTimeout(timer);
      if (ws) ws.close(1000); else setState('closed');
    },
  };
  queueMicrotask(open); // after the caller's on(...) calls
  return client;
}
