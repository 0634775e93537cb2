// Where the pages call the producer's REST API, shared by the demo page and the operators' dashboard: the gateway's
// /api/config names it (livequeue.gateway.producer-url); without one, the page's own host on port 8081.
(() => {
  'use strict';
  const fallback = `${location.protocol}//${location.hostname}:8081`;
  window.livequeueProducerUrl = fetch('/api/config')
    .then((r) => (r.ok ? r.json() : {}))
    .then((cfg) => (cfg && cfg.producerUrl) || fallback)
    .catch(() => fallback)
    .then((url) => url.replace(/\/+$/, ''));
})();
