// livequeue demo page: submit jobs to the producer, follow them over the gateway WebSocket, all through livequeue.js
// (which reconnects with back-off and jitter, follows the page's jobs again after a reconnect and drops stale events).
import { connect, isFinal, ProblemError } from './livequeue.js';

const STORE_KEY = 'livequeue.jobs';
const LOG_MAX = 50;
const SMALL_DATA = 60; // progress data shown beside the bar up to this many characters of JSON
const EXAMPLES = {
  echo: { hello: 'world', n: 42 },
  sleep: { ms: 500 },
  fail: null, // needs no payload
  sms: { to: '+4915112345678', message: 'hello' },
};

const $ = (id) => document.getElementById(id);
const el = {
  connection: $('connection'), form: $('job-form'), type: $('type'), payload: $('payload'),
  priority: $('priority'), maxAttempts: $('max-attempts'), delay: $('delay'), submit: $('submit'),
  formError: $('form-error'), tbody: document.querySelector('#jobs tbody'),
  empty: $('jobs-empty'), clear: $('clear'), log: $('log'),
  rawForm: $('raw-form'), raw: $('raw'), inbox: $('inbox'),
  followForm: $('follow-form'), followId: $('follow-id'), followToken: $('follow-token'),
};

// ---- state ------------------------------------------------------------------

let jobs = loadJobs(); // newest first: {id, token, type, status, attempts, result, error, v, runAt, progress}
const rows = new Map(); // job id -> <tr>

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

// A job event for a job not in the list is one sent to this page's inbox by someone else (curl with "replyTo"),
// or one that beat its own 202: either way it joins the list, and a later 202 only adds the token. livequeue.js
// passes each status once and never an older one after a newer, so every event it delivers is shown.
function applyEvent(ev) {
  let job = jobs.find((j) => j.id === ev.id);
  if (!job) {
    job = { id: ev.id, token: null, type: ev.type, status: null, attempts: 0, result: null, error: null,
      runAt: null, progress: null };
    jobs = [job, ...jobs];
    renderAll();
  }
  Object.assign(job, {
    status: ev.status,
    attempts: ev.attempts ?? job.attempts,
    result: ev.result ?? null,
    error: ev.error ?? null,
    v: ev.v,
    // a scheduled job's due time; an active job's latest progress report (a new attempt starts without one)
    runAt: ev.status === 'scheduled' ? (ev.runAt ?? job.runAt ?? null) : null,
    progress: ev.status === 'active' ? (ev.progress ?? null) : null,
    cancelling: ev.status === 'active' ? job.cancelling : false,
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
    if (!known.status && job.runAt) known.runAt = job.runAt;
  } else {
    jobs = [job, ...jobs];
  }
  saveJobs();
  renderAll();
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
    ['id', 'type', 'status', 'attempts', 'result', 'actions'].forEach((c) => cell(tr, c));
    const badge = document.createElement('span');
    badge.className = 'badge';
    tr.cells[2].append(badge);
    rows.set(job.id, tr);
  }
  const [idCell, typeCell, statusCell, attemptsCell, resultCell, actionsCell] = tr.cells;
  const status = job.status || 'queued';
  tr.dataset.status = status;
  idCell.textContent = job.id.slice(0, 8);
  idCell.title = job.id;
  typeCell.textContent = job.type || '';
  statusCell.firstChild.textContent = status;
  statusCell.title = STATUS_TITLES[status] || '';
  attemptsCell.textContent = String(job.attempts ?? 0);
  renderDetail(resultCell, job, status);
  renderActions(actionsCell, job, status);
  return tr;
}

const STATUS_TITLES = {
  scheduled: 'waits for its due time', failed: 'failed, will retry', dead: 'final failure',
  cancelled: 'cancelled: final, it will not run (again)',
};

// The result or error; a scheduled job's due time; an active job's progress bar (percent, and small data).
function renderDetail(td, job, status) {
  let text = '';
  if (status === 'completed') text = JSON.stringify(job.result ?? null);
  else if (status === 'failed' || status === 'dead') text = job.error || '';
  td.replaceChildren();
  delete td.dataset.percent;
  if (status === 'scheduled') {
    const due = document.createElement('time');
    due.className = 'due';
    if (job.runAt) {
      due.dateTime = new Date(job.runAt).toISOString();
      due.textContent = `due ${new Date(job.runAt).toLocaleTimeString()}`;
    } else {
      due.textContent = 'due later';
    }
    td.append(due);
    td.title = due.textContent;
    return;
  }
  if (status === 'active' && job.progress) {
    const percent = Math.max(0, Math.min(100, Number(job.progress.percent) || 0));
    const bar = document.createElement('div');
    bar.className = 'progress';
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-valuenow', String(percent));
    const fill = document.createElement('div');
    fill.className = 'bar';
    fill.style.width = `${percent}%`;
    bar.append(fill);
    const label = document.createElement('span');
    label.className = 'percent';
    const data = job.progress.data == null ? '' : JSON.stringify(job.progress.data);
    label.textContent = `${Math.round(percent)}%${data && data.length <= SMALL_DATA ? ` ${data}` : ''}`;
    td.append(bar, label);
    td.dataset.percent = String(percent);
    td.title = label.textContent;
    return;
  }
  if (job.cancelling) text = 'cancelling…';
  td.textContent = text;
  td.title = text;
}

// A job that is not final and whose token this page knows can be cancelled from here.
function renderActions(td, job, status) {
  const can = job.token && !isFinal(status);
  let button = td.querySelector('button.cancel');
  if (!can) {
    button?.remove();
    return;
  }
  if (!button) {
    button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary small cancel';
    button.textContent = 'Cancel';
    button.addEventListener('click', () => cancelJob(job.id, button));
    td.append(button);
  }
  button.disabled = Boolean(job.cancelling);
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

// ---- the connection (livequeue.js) -------------------------------------------

const lq = connect(); // the gateway this page came from; the producer it names in /api/config

lq.on('state', ({ state, code, delay }) => {
  el.connection.textContent = state;
  el.connection.dataset.state = state;
  if (state !== 'connected') el.inbox.textContent = '…';
  if (code !== undefined && delay !== undefined) {
    log(`disconnected (code ${code}); retrying in ${Math.round(delay)} ms`, 'warn');
  }
});
lq.on('welcome', ({ inbox }) => {
  el.inbox.textContent = inbox;
  log(`connected, inbox ${inbox}`, 'conn');
});
lq.on('job', (ev) => applyEvent(ev)); // submitted here, followed, or sent to the inbox by someone else
lq.on('error', (msg) => log(`error ${msg.code || '?'}: ${msg.message || ''}`, 'error'));
lq.on('frame', (msg, text) => log(`unexpected frame: ${text}`, msg ? 'info' : 'error'));
// The session's jobs, from before a reload: followed again by token (finished ones need nothing more).
for (const j of jobs) if (j.token) lq.watch(j);

// ---- cancelling ------------------------------------------------------------------

// POST /api/jobs/{id}/cancel with the job's token (livequeue.js): a waiting job is cancelled at once, a running one
// when its handler stops; either way its 'cancelled' (or 'completed') event updates the row.
async function cancelJob(id, button) {
  const job = jobs.find((j) => j.id === id);
  if (!job?.token) return;
  button.disabled = true;
  try {
    const answer = await lq.cancel(job);
    if (answer?.cancelRequested) {
      job.cancelling = true;
      renderRow(job);
      log(`cancel of ${id.slice(0, 8)} asked: its handler is told`, 'sent');
    } else {
      log(`cancelled ${id.slice(0, 8)}`, 'sent');
    }
  } catch (err) {
    button.disabled = false;
    if (err instanceof ProblemError && err.status === 409) {
      log(`${id.slice(0, 8)} had finished already: nothing to cancel`, 'warn');
    } else {
      log(`cancel of ${id.slice(0, 8)} failed: ${err.message}`, 'error');
    }
  }
}

// ---- submitting ----------------------------------------------------------------

async function onSubmit(e) {
  e.preventDefault();
  clearFormError();

  const body = {
    type: el.type.value,
    priority: el.priority.value,
    maxAttempts: Number(el.maxAttempts.value),
  };
  const delay = el.delay.value.trim();
  if (delay) {
    const seconds = Number(delay);
    if (!Number.isFinite(seconds) || seconds < 0) {
      showFormError('Delay is a number of seconds, 0 or more');
      return;
    }
    if (seconds > 0) body.delay = Math.round(seconds * 1000); // ms
  }
  const raw = el.payload.value.trim();
  if (raw) {
    try { body.payload = JSON.parse(raw); } catch (err) {
      showFormError('Payload is not valid JSON', [err.message]);
      return;
    }
  }

  el.submit.disabled = true;
  try {
    const created = await lq.submit(body); // replyTo: this page's inbox; retried under one Idempotency-Key
    addJob({
      id: created.id, token: created.token, type: created.type || body.type,
      status: created.status || 'queued', attempts: 0, result: null, error: null, runAt: created.runAt ?? null,
      progress: null,
    });
  } catch (err) {
    if (err instanceof ProblemError) {
      const details = err.detail ? [err.detail] : [];
      for (const f of Array.isArray(err.errors) ? err.errors : []) {
        details.push(f.field ? `${f.field}: ${f.message}` : String(f.message));
      }
      showFormError(err.title || `HTTP ${err.status}`, details);
    } else {
      showFormError('Could not reach the producer', [err.message]);
    }
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
  for (const j of jobs) lq.unwatch(j.id);
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
  lq.watch({ id, token });
  el.followId.value = '';
  el.followToken.value = '';
});
el.rawForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = el.raw.value;
  if (!text) return;
  if (lq.send(text)) { log(`sent: ${text}`, 'sent'); el.raw.value = ''; } else log('not connected; frame not sent', 'error');
});

prefillPayload();
renderAll();
