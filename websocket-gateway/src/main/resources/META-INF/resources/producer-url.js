// Where the operators' dashboard calls the producer's REST API (livequeue.js does the same for the demo page): the
// gateway's /api/config names it (livequeue.gateway.producer-url); without one, the page's own host on port 8081.
(() => {
  'use strict';
  const fallback = `${location.protocol}//${location.hostname}:8081`;
  window.livequeueProducerUrl = fetch('/api/config')
    .then((r) => (r.ok ? r.json() : {}))
    .then((cfg) => (cfg && cfg.producerUrl) || fallback)
    .catch(() => fallback)
    .then((url) => url.replace(/\/+$/, ''));
})();
