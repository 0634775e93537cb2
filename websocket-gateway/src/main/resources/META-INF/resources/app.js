// livequeue demo page: submit jobs to the producer, follow them over the gateway WebSocket.
(() => {
  'use strict';

  const STORE_KEY = 'livequeue.jobs';
  const LOG_MAX = 50;
  const BACKOFF_BASE_MS = 250;
  const BACKOFF_CAP_MS = 10000;
  const FINAL = new Set(['completed', 'dead']);
  // Order within the same attempt number; completed/dead share the top rank.
  const RANK = { queued: 0, active: 1, failed: 2, completed: 3, dead: 3 };
  const EXAMPLES = {
    echo: { hello: 'world', n: 42 },
    sleep: { ms: 500 },
    fail: null, // needs no payload
    sms: { to: '+4915112345678', message: 'hello' },
  };

  const $ = (id) => document.getElementById(id);
  const el = {
    connection: $('connection'), form: $('job-form'), type: $('type'), payload: $('payload'),
    priority: $('priority'), maxAttempts: $('max-attempts'), submit: $('submit'),
    formError: $('form-error'), tbody: document.querySelector('#jobs tbody'),
    empty: $('jobs-empty'), clear: $('clear'), log: $('log'),
    rawForm: $('raw-form'), raw: $('raw'), inbox: $('inbox'),
    followForm: $('follow-form'), followId: $('follow-id'), followToken: $('follow-token'),
  };

  // ---- state ----------------------------------------------------------------

  let jobs = loadJobs(); // newest first: {id, token, type, status, attempts, result, error}
  const rows = new Map(); // job id -> <tr>
  let ws = null;
  let inbox = null;
  let retries = 0;
  let everConnected = false;

  const producerUrl = window.livequeueProducerUrl; // see producer-url.js

  function loadJobs() {
    try {
      const list = JSON.parse(sessionStorage.getItem(STORE_KEY));
      return Array.isArray(list) ? list.filter((j) => j && j.id) : [];
    } catch {
      return [];
    }
  }

  function saveJobs() {
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(jobs)); } catch { /* storage full/disabled: keep in memory */ }
  }

  // ---- job state merging -----------------------------------------------------

  function isNewer(ev, shown) {
    if (!shown.status) return true;
    if (FINAL.has(shown.status) && !FINAL.has(ev.status)) return false;
    const a = Number(ev.attempts) || 0;
    const b = Number(shown.attempts) || 0;
    if (a !== b) return a > b;
    return (RANK[ev.status] ?? -1) >= (RANK[shown.status] ?? -1);
  }

  // A job event for a job not in the list is one sent to this page's inbox by someone else (curl with "replyTo"),
  // or one that beat its own 202: either way it joins the list, and a later 202 only adds the token.
  function applyEvent(ev) {
    let job = jobs.find((j) => j.id === ev.id);
    if (!job) {
      job = { id: ev.id, token: null, type: ev.type, status: null, attempts: 0, result: null, error: null };
      jobs = [job, ...jobs];
      renderAll();
    }
    if (!isNewer(ev, job)) return;
    Object.assign(job, {
      status: ev.status,
      attempts: ev.attempts ?? job.attempts,
      result: ev.result ?? null,
      error: ev.error ?? null,
    });
    if (ev.type) job.type = ev.type;
    saveJobs();
    renderRow(job);
  }

  function addJob(job) {
    const known = jobs.find((j) => j.id === job.id);
    if (known) {
      known.token = job.token;
      if (!known.type) known.type = job.type;
    } else {
      jobs = [job, ...jobs];
    }
    saveJobs();
    renderAll();
    send({ op: 'subscribe', job: job.id, token: job.token });
  }

  // ---- rendering (textContent only: server data is never parsed as HTML) -----

  function cell(tr, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    tr.append(td);
    return td;
  }

  function renderRow(job) {
    let tr = rows.get(job.id);
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.jobId = job.id;
      ['id', 'type', 'status', 'attempts', 'result'].forEach((c) => cell(tr, c));
      const badge = document.createElement('span');
      badge.className = 'badge';
      tr.cells[2].append(badge);
      rows.set(job.id, tr);
    }
    const [idCell, typeCell, statusCell, attemptsCell, resultCell] = tr.cells;
    const status = job.status || 'queued';
    tr.dataset.status = status;
    idCell.textContent = job.id.slice(0, 8);
    idCell.title = job.id;
    typeCell.textContent = job.type || '';
    statusCell.firstChild.textContent = status;
    statusCell.title = status === 'failed' ? 'failed, will retry' : status === 'dead' ? 'final failure' : '';
    attemptsCell.textContent = String(job.attempts ?? 0);

    let text = '';
    if (status === 'completed') text = JSON.stringify(job.result ?? null);
    else if (status === 'failed' || status === 'dead') text = job.error || '';
    resultCell.textContent = text;
    resultCell.title = text;
    return tr;
  }

  function renderAll() {
    el.tbody.replaceChildren(...jobs.map(renderRow));
    for (const id of rows.keys()) if (!jobs.some((j) => j.id === id)) rows.delete(id);
    el.empty.hidden = jobs.length > 0;
  }

  function log(text, kind = 'info') {
    const li = document.createElement('li');
    li.className = kind;
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    li.append(time, ' ', text);
    el.log.prepend(li);
    while (el.log.children.length > LOG_MAX) el.log.lastElementChild.remove();
  }

  function setConnection(state) {
    el.connection.textContent = state;
    el.connection.dataset.state = state;
  }

  function showFormError(title, details = []) {
    el.formError.replaceChildren();
    const strong = document.createElement('strong');
    strong.textContent = title;
    el.formError.append(strong);
    if (details.length) {
      const ul = document.createElement('ul');
      for (const d of details) {
        const li = document.createElement('li');
        li.textContent = d;
        ul.append(li);
      }
      el.formError.append(ul);
    }
    el.formError.hidden = false;
  }

  function clearFormError() {
    el.formError.hidden = true;
    el.formError.replaceChildren();
  }

  // ---- WebSocket -------------------------------------------------------------

  function send(msg) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false; // resent after the next welcome
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
    return true;
  }

  function connect() {
    setConnection(everConnected ? 'reconnecting' : 'connecting');
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
    const socket = new WebSocket(url);
    ws = socket;
    socket.onmessage = (e) => onMessage(e.data);
    socket.onclose = (e) => {
      if (ws !== socket) return;
      ws = null;
      inbox = null;
      // Full jitter: uniform in [0, min(cap, base * 2^n)] so clients don't reconnect in lockstep.
      const delay = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retries);
      retries++;
      setConnection(everConnected ? 'reconnecting' : 'connecting');
      log(`disconnected (code ${e.code}); retrying in ${Math.round(delay)} ms`, 'warn');
      setTimeout(connect, delay);
    };
  }

  function onMessage(data) {
    let msg;
    try { msg = JSON.parse(data); } catch { log(`non-JSON frame: ${data}`, 'error'); return; }
    switch (msg && msg.event) {
      case 'welcome':
        inbox = msg.inbox;
        el.inbox.textContent = inbox;
        retries = 0; // only a welcome proves the connection really works
        everConnected = true;
        setConnection('connected');
        log(`connected, inbox ${inbox}`, 'conn');
        // Catch up on anything missed while disconnected (or before a reload).
        for (const j of jobs) if (j.token) send({ op: 'subscribe', job: j.id, token: j.token });
        break;
      case 'job':
        if (msg.id) applyEvent(msg);
        break;
      case 'error':
        log(`error ${msg.code || '?'}: ${msg.message || ''}`, 'error');
        break;
      case 'subscribed':
      case 'unsubscribed':
        break;
      default:
        log(`unexpected frame: ${data}`, 'info');
    }
  }

  // ---- producer REST -----------------------------------------------------------

  async function problemDetails(res) {
    let body = null;
    try { body = await res.json(); } catch { /* not JSON */ }
    if (!body || typeof body !== 'object') return [`HTTP ${res.status} ${res.statusText}`.trim(), []];
    const title = body.title || `HTTP ${res.status}`;
    const details = [];
    if (body.detail) details.push(body.detail);
    for (const e of Array.isArray(body.errors) ? body.errors : []) {
      details.push(e.field ? `${e.field}: ${e.message}` : String(e.message));
    }
    return [title, details];
  }

  async function onSubmit(e) {
    e.preventDefault();
    clearFormError();

    const body = {
      type: el.type.value,
      priority: el.priority.value,
      maxAttempts: Number(el.maxAttempts.value),
    };
    const raw = el.payload.value.trim();
    if (raw) {
      try { body.payload = JSON.parse(raw); } catch (err) {
        showFormError('Payload is not valid JSON', [err.message]);
        return;
      }
    }
    if (inbox && ws && ws.readyState === WebSocket.OPEN) body.replyTo = inbox;

    el.submit.disabled = true;
    const base = await producerUrl; // never rejects: it falls back to port 8081
    try {
      const res = await fetch(`${base}/api/jobs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) {
        showFormError(...(await problemDetails(res)));
        return;
      }
      const created = await res.json();
      addJob({
        id: created.id, token: created.token, type: created.type || body.type,
        status: created.status || 'queued', attempts: 0, result: null, error: null,
      });
    } catch (err) {
      showFormError(`Could not reach the producer at ${base}`, [err.message]);
    } finally {
      el.submit.disabled = false;
    }
  }

  function prefillPayload() {
    const ex = EXAMPLES[el.type.value];
    el.payload.value = ex == null ? '' : JSON.stringify(ex, null, 2);
  }

  // ---- wiring ------------------------------------------------------------------

  el.form.addEventListener('submit', onSubmit);
  el.type.addEventListener('change', prefillPayload);
  el.clear.addEventListener('click', () => {
    for (const j of jobs) send({ op: 'unsubscribe', job: j.id });
    jobs = [];
    saveJobs();
    renderAll();
  });
  // Follow a job submitted elsewhere (curl without replyTo): its id and token are all it takes.
  el.followForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = el.followId.value.trim();
    const token = el.followToken.value.trim();
    if (!id || !token) return;
    addJob({ id, token, type: '', status: null, attempts: 0, result: null, error: null });
    el.followId.value = '';
    el.followToken.value = '';
  });
  el.rawForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = el.raw.value;
    if (!text) return;
    if (send(text)) { log(`sent: ${text}`, 'sent'); el.raw.value = ''; } else log('not connected; frame not sent', 'error');
  });

  prefillPayload();
  renderAll();
  connect();
})();
