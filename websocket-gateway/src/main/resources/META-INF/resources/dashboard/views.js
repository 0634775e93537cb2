// Rendering of the operator frames into the page: window.DashboardViews. No state of its own besides the DOM.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const PRIORITIES = ['high', 'normal', 'low'];
  const STATES = ['waiting', 'active', 'retrying', 'dead'];
  const WINDOW_MS = 5 * 60 * 1000;
  const CHIPS = 12;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v == null) return;
      if (k === 'className') node.className = v; else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    });
    children.flat().forEach((c) => node.append(c));
    return node;
  }

  const short = (id) => (id || '').slice(0, 8);
  const time = (ms) => (ms ? new Date(Number(ms)).toLocaleTimeString() : '–');
  const dateTime = (ms) => (ms ? new Date(Number(ms)).toLocaleString() : '–');
  const ago = (ms) => (ms < 1000 ? `${ms} ms ago` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s ago`
    : `${Math.round(ms / 60000)} min ago`);
  const number = (n) => Number(n).toLocaleString('en-US');

  function parseJson(text, fallback) {
    if (text == null || text === '') return fallback;
    try { return JSON.parse(text); } catch { return text; }
  }

  function queues(counts) {
    const totals = Object.fromEntries(STATES.map((s) => [s, 0]));
    PRIORITIES.forEach((p) => STATES.forEach((s) => {
      const value = (counts[p] && counts[p][s]) || 0;
      totals[s] += value;
      setCount(`${p}-${s}`, value);
    }));
    STATES.forEach((s) => setCount(`all-${s}`, totals[s]));
  }

  // one row per queue: counts, limits (with the rate limit's use of its current window) and pause/resume
  function namedQueues(list, onToggle) {
    const tbody = document.querySelector('#named-queues tbody');
    tbody.replaceChildren(...(list || []).map((q) => {
      const limits = [];
      if (q.concurrency > 0) limits.push(`≤ ${number(q.concurrency)} active`);
      if (q.rate > 0) limits.push(`${number(q.startedInWindow)}/${number(q.rate)} per ${number(q.periodMs)} ms`);
      const button = el('button', { type: 'button', className: 'small', 'data-action': q.paused ? 'resume' : 'pause',
        text: q.paused ? 'Resume' : 'Pause' });
      button.addEventListener('click', () => onToggle(q.name, q.paused ? 'resume' : 'pause', button));
      return el('tr', { 'data-queue': q.name, 'data-paused': q.paused ? 'true' : 'false' },
        el('th', { text: q.name }),
        ...['waiting', 'active', 'retrying', 'dead', 'scheduled'].map((s) => el('td', { 'data-count': s,
          text: number(q[s] || 0) })),
        el('td', { text: limits.join(', ') || 'none' }),
        el('td', {}, el('span', { className: q.paused ? 'paused' : 'running', text: q.paused ? 'paused ' : 'running ' }),
          button));
    }));
  }

  function setCount(key, value) {
    const cell = document.querySelector(`[data-count="${key}"]`);
    cell.textContent = number(value);
    cell.toggleAttribute('data-zero', value === 0);
  }

  // points: sorted [{t, completed, failed, cancelled, pickupAvg, pickupMax, runAvg, runMax}], newest last; to: the
  // newest t
  function charts(points, to) {
    const from = to - WINDOW_MS + 1000;
    const shown = points.filter((p) => p.t >= from);
    const line = (color, key) => ({ color, points: shown.map((p) => [p.t, p[key]]) });
    window.LiveCharts.draw($('chart-throughput'), { from, to, format: (v) => String(Math.round(v * 10) / 10),
      lines: [line('#1a7f37', 'completed'), line('#c62828', 'failed'), line('#8a8f98', 'cancelled')] });
    window.LiveCharts.draw($('chart-latency'), { from, to, format: (v) => String(Math.round(v)),
      lines: [line('#2f6fde', 'pickupAvg'), line('#7b4bd6', 'runAvg')] });

    const recent = shown.slice(-5);
    // a gateway of the previous release sends no 'cancelled': counted as 0
    const rate = (key) => recent.reduce((sum, p) => sum + (p[key] || 0), 0) / Math.max(1, recent.length);
    ['completed', 'failed', 'cancelled'].forEach((key) => {
      $(`rate-${key}`).textContent = String(Math.round(rate(key) * 10) / 10);
      $(`${key}-total`).textContent = number(shown.reduce((sum, p) => sum + (p[key] || 0), 0));
    });
    const latest = (key) => {
      const p = [...recent].reverse().find((q) => q[key] != null);
      return p ? `${number(p[key])} ms` : '–';
    };
    $('pickup-ms').textContent = latest('pickupAvg');
    $('run-ms').textContent = latest('runAvg');
  }

  function consumers(view, onJob) {
    const tbody = document.querySelector('#consumers tbody');
    tbody.replaceChildren(...view.consumers.map((c) => {
      const chips = c.jobs.slice(0, CHIPS).map((j) => el('li', { 'data-job-id': j.id,
        title: `${j.id} · ${j.type} · ${String(j.priority).toLowerCase()} · attempt ${j.attempts}` },
      `${short(j.id)} ${j.type} ${j.startedAt ? `${((view.now - j.startedAt) / 1000).toFixed(1)}s` : ''}`));
      chips.forEach((chip) => chip.addEventListener('click', () => onJob(chip.getAttribute('data-job-id'))));
      if (c.jobs.length > CHIPS) chips.push(el('li', { className: 'more', text: `+${c.jobs.length - CHIPS} more` }));
      return el('tr', { 'data-consumer': c.id, className: c.lastHeartbeat ? null : 'stale' },
        el('td', { className: 'mono', text: c.id }),
        el('td', { text: c.lastHeartbeat ? ago(Math.max(0, view.now - c.lastHeartbeat))
          : 'gone (leases running out)' }),
        el('td', { className: 'in-flight', text: String(c.jobs.length) }),
        el('td', {}, el('ul', { className: 'chips' }, chips)));
    }));
    $('consumers-empty').hidden = view.consumers.length > 0;
    const alive = view.consumers.filter((c) => c.lastHeartbeat).length;
    $('consumer-count').textContent = `${alive} alive`;
  }

  // list: [{name, cron, every, zone, nextRun, paused, lastRun}] (times epoch ms), or undefined while the gateway does
  // not read schedules (the frame leaves the list out)
  function schedules(list) {
    const tbody = document.querySelector('#schedules tbody');
    const known = Array.isArray(list);
    tbody.replaceChildren(...(known ? list : []).map((s) => el('tr', { 'data-schedule': s.name,
      'data-paused': s.paused ? 'true' : 'false' },
    el('th', { text: s.name }),
    el('td', { className: 'mono', text: s.cron || (s.every ? `every ${s.every}` : '–') }),
    el('td', { text: s.zone || 'UTC' }),
    el('td', { text: s.paused ? '–' : dateTime(s.nextRun) }),
    el('td', { text: s.paused ? 'paused' : 'no' }),
    el('td', { text: dateTime(s.lastRun) }))));
    $('schedules-empty').textContent = known ? 'No schedules.' : 'Schedules are not shown by this gateway yet.';
    $('schedules-empty').hidden = known && list.length > 0;
    $('schedule-count').textContent = known ? `${list.length} in all` : '';
  }

  // handlers: {retry(id), remove(id), open(id)}
  function dead(page, handlers) {
    const tbody = document.querySelector('#dead tbody');
    tbody.replaceChildren(...page.jobs.map((j) => {
      const errors = Array.isArray(j.errors) ? j.errors : (j.error ? [j.error] : []);
      const link = el('a', { className: 'job-link', title: j.id, text: short(j.id) });
      link.addEventListener('click', () => handlers.open(j.id));
      const retry = el('button', { type: 'button', className: 'secondary small retry', text: 'Retry' });
      const remove = el('button', { type: 'button', className: 'danger small delete', text: 'Delete' });
      retry.addEventListener('click', () => handlers.retry(j.id, retry));
      remove.addEventListener('click', () => handlers.remove(j.id, remove));
      return el('tr', { 'data-job-id': j.id },
        el('td', { text: time(j.finishedAt) }),
        el('td', {}, link),
        el('td', { text: `${j.type} · ${j.priority}` }),
        el('td', { text: `${j.attempts}/${j.maxAttempts}` }),
        el('td', { className: 'errors' }, el('details', {}, el('summary', { text: j.error || '(no error)' }),
          el('ol', {}, errors.map((e) => el('li', { text: e }))))),
        el('td', { className: 'actions' }, retry, ' ', remove));
    }));
    $('dead-empty').hidden = page.jobs.length > 0;
    $('dead-total').textContent = `${number(page.total)} in all`;
    const last = page.offset + page.jobs.length;
    $('dead-range').textContent = page.total ? `${page.offset + 1}–${last} of ${number(page.total)}` : '';
    $('dead-newer').disabled = page.offset === 0;
    $('dead-older').disabled = last >= page.total;
  }

  function job(doc) {
    const box = $('job-doc');
    box.hidden = false;
    if (!doc.found) {
      box.removeAttribute('data-status');
      box.setAttribute('data-job-id', doc.id);
      box.replaceChildren(el('p', { className: 'muted', text: `No job ${doc.id}: never submitted, deleted, or `
        + 'expired (finished jobs are kept for the retention time).' }));
      return;
    }
    const h = doc.job;
    box.setAttribute('data-job-id', doc.id);
    box.setAttribute('data-status', h.status);
    const errors = parseJson(h.errors, []);
    const field = (name, value) => [el('dt', { text: name }), el('dd', {}, value)];
    box.replaceChildren(
      el('dl', {},
        field('id', el('span', { className: 'mono', text: h.id })),
        field('status', el('span', { className: 'badge', 'data-status': h.status, text: h.status })),
        field('type · priority', `${h.type} · ${h.priority}`),
        field('attempts', `${h.attempts || 0} of ${h.maxAttempts}`),
        field('created', dateTime(h.createdAt)),
        ...(h.runAt ? field('due (scheduled for)', dateTime(h.runAt)) : []),
        ...(h.expiresAt ? field('deadline', dateTime(h.expiresAt)) : []),
        ...(h.progress ? field('progress', h.progress) : []),
        ...(h.cancel ? field('cancel asked', dateTime(h.cancel)) : []),
        field('last attempt started', dateTime(h.startedAt)),
        field('finished', dateTime(h.finishedAt)),
        field('consumer', h.consumer || '–'),
        field('reply to', h.replyTo || '–')),
      el('h3', { className: 'small muted', text: `Errors, one per failed attempt (${errors.length})` }),
      errors.length ? el('ol', { className: 'history' }, errors.map((e) => el('li', { text: e })))
        : el('p', { className: 'muted small', text: 'none' }),
      el('h3', { className: 'small muted', text: 'Payload' }),
      el('pre', { text: JSON.stringify(parseJson(h.payload, null), null, 2) }),
      el('h3', { className: 'small muted', text: 'Result' }),
      el('pre', { className: 'result', text: JSON.stringify(parseJson(h.result, null), null, 2) }),
      el('details', {}, el('summary', { className: 'small muted', text: 'The stored hash' }),
        el('pre', { text: JSON.stringify(h, null, 2) })));
  }

  window.DashboardViews = { queues, namedQueues, charts, schedules, consumers, dead, job };
})();
