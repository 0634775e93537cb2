// livequeue operators' dashboard: one WebSocket to the gateway pushes the numbers (no polling); retry and delete go
// to the producer's dead-letter API with the same operator token.
(() => {
  'use strict';

  const TOKEN_KEY = 'livequeue.operatorToken';
  const KEEP_MS = 5 * 60 * 1000;
  const BACKOFF_BASE_MS = 250;
  const BACKOFF_CAP_MS = 10000;
  const $ = (id) => document.getElementById(id);
  const views = window.DashboardViews;

  const series = new Map(); // t -> point: the last five minutes, merged from snapshot and stats frames
  let newest = 0; // the newest second with data, on the gateway's clock
  let deadOffset = 0;
  let ws = null;
  let retries = 0;
  let refused = false;

  const producerUrl = window.livequeueProducerUrl; // see producer-url.js

  const token = () => sessionStorage.getItem(TOKEN_KEY);

  function setConnection(state, text) {
    $('connection').setAttribute('data-state', state);
    $('connection').textContent = text || state;
  }

  function banner(text) {
    $('banner').textContent = text || '';
    $('banner').hidden = !text;
  }

  function showLogin(message) {
    $('login').hidden = false;
    $('board').hidden = true;
    $('sign-out').hidden = true;
    $('login-error').textContent = message || '';
    $('login-error').hidden = !message;
    setConnection(message ? 'unauthorized' : 'signed-out', message ? 'token refused' : 'signed out');
    $('token').focus();
  }

  function connect() {
    refused = false;
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/dashboard/ws`);
    ws = socket;
    setConnection(retries ? 'reconnecting' : 'connecting');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', token: token() }));
    socket.onmessage = (e) => handle(JSON.parse(e.data));
    socket.onclose = () => {
      if (ws !== socket) return; // signed out, or replaced
      ws = null;
      if (refused || !token()) return;
      setConnection('reconnecting');
      // exponential back-off with full jitter, so many dashboards do not come back all at once
      const delay = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retries++);
      setTimeout(() => { if (!ws && token()) connect(); }, delay);
    };
  }

  function handle(msg) {
    switch (msg.event) {
      case 'snapshot':
        series.clear();
        retries = 0;
        banner('');
        $('login').hidden = true;
        $('board').hidden = false;
        $('sign-out').hidden = false;
        setConnection('connected');
        // falls through: a snapshot is a stats frame with everything in it
      case 'stats':
        views.queues(msg.queues);
        views.namedQueues(msg.named, queueAction);
        views.schedules(msg.schedules);
        views.consumers(msg.consumers, openJob);
        if (msg.dead && deadOffset === 0) views.dead(msg.dead, deadHandlers);
        else if (msg.dead) send({ type: 'dead', offset: deadOffset });
        merge(msg.series);
        if (msg.event === 'stats') banner('');
        break;
      case 'dead-page':
        if (msg.dead.offset === deadOffset) views.dead(msg.dead, deadHandlers);
        break;
      case 'job-doc':
        $('search-error').hidden = true;
        views.job(msg);
        break;
      case 'error':
        if (msg.code === 'unauthorized') {
          refused = true;
          sessionStorage.removeItem(TOKEN_KEY);
          showLogin(`The gateway refused the token: ${msg.message}`);
        } else if (msg.code === 'unavailable') {
          banner(msg.message);
        } else {
          $('search-error').textContent = msg.message;
          $('search-error').hidden = false;
        }
        break;
      default:
        break;
    }
  }

  function merge(points) {
    (points || []).forEach((p) => { series.set(p.t, p); newest = Math.max(newest, p.t); });
    [...series.keys()].filter((t) => t < newest - KEEP_MS).forEach((t) => series.delete(t));
    views.charts([...series.values()].sort((a, b) => a.t - b.t), newest);
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function openJob(id) {
    $('search-id').value = id;
    send({ type: 'job', id });
  }

  // The dead-letter actions call the producer directly, as any operator script would; the list updates by itself
  // within a second (the gateway pushes the change), the row goes at once.
  async function deadAction(method, path, id, button) {
    button.disabled = true;
    $('dead-message').hidden = true;
    try {
      const res = await fetch(`${await producerUrl}/api/dead/${encodeURIComponent(id)}${path}`,
        { method, headers: { Authorization: `Bearer ${token()}` } });
      if (res.status === 401) {
        throw new Error('the producer refused the operator token (is livequeue.operator.token the same on both?)');
      }
      if (!res.ok) {
        const problem = await res.json().catch(() => ({}));
        throw new Error(problem.detail || `HTTP ${res.status}`);
      }
      const row = button.closest('tr');
      if (row) row.remove();
      if (deadOffset > 0) send({ type: 'dead', offset: deadOffset });
    } catch (e) {
      button.disabled = false;
      $('dead-message').textContent = `${method === 'DELETE' ? 'Delete' : 'Retry'} of ${id} failed: ${e.message}`;
      $('dead-message').hidden = false;
    }
  }

  // Pause and resume call the producer's queue API, like the dead-letter actions; the row follows within a second.
  async function queueAction(queue, action, button) {
    button.disabled = true;
    $('queue-message').hidden = true;
    try {
      const res = await fetch(`${await producerUrl}/api/queues/${encodeURIComponent(queue)}/${action}`,
        { method: 'POST', headers: { Authorization: `Bearer ${token()}` } });
      if (res.status === 401) {
        throw new Error('the producer refused the operator token (is livequeue.operator.token the same on both?)');
      }
      if (!res.ok) {
        const problem = await res.json().catch(() => ({}));
        throw new Error(problem.detail || `HTTP ${res.status}`);
      }
    } catch (e) {
      $('queue-message').textContent = `${action === 'pause' ? 'Pause' : 'Resume'} of ${queue} failed: ${e.message}`;
      $('queue-message').hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  const deadHandlers = {
    retry: (id, button) => deadAction('POST', '/retry', id, button),
    remove: (id, button) => deadAction('DELETE', '', id, button),
    open: openJob,
  };

  $('dead-older').addEventListener('click', () => { deadOffset += 20; send({ type: 'dead', offset: deadOffset }); });
  $('dead-newer').addEventListener('click', () => {
    deadOffset = Math.max(0, deadOffset - 20);
    send({ type: 'dead', offset: deadOffset });
  });

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('search-id').value.trim();
    if (id) send({ type: 'job', id });
  });

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('token').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    $('login-error').hidden = true;
    retries = 0;
    connect();
  });

  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    const socket = ws;
    ws = null;
    if (socket) socket.close(1000, 'signed out');
    showLogin();
  });

  window.addEventListener('resize', () => merge([]));

  if (token()) connect(); else showLogin();
})();
