// livequeue.js under Node, against a live stack: node --experimental-websocket livequeue-node.mjs <module> <gateway> <producer>
// (Node 22+ needs no flag). Prints one line per check; exits 0 only when all pass, 1 on the first failure.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';

const [modulePath, gateway, producer] = process.argv.slice(2);
const { connect, ProblemError } = await import(pathToFileURL(modulePath).href);
const watchdog = setTimeout(() => { console.error('FAIL: timed out'); process.exit(1); }, 30000);

const lq = connect({ gateway, producer });
const states = [];
lq.on('state', ({ state }) => states.push(state));
await new Promise((resolve) => lq.on('welcome', resolve));
assert.match(lq.inbox, /^\S{22,}$/);
console.log('ok connected, inbox', lq.inbox);

const job = await lq.submit({ type: 'echo', payload: { from: 'node' } });
const heard = await new Promise((resolve) => {
  const statuses = [];
  lq.watch(job, (ev) => {
    statuses.push(ev.status);
    if (ev.status === 'completed') resolve({ statuses, result: ev.result });
  });
});
assert.deepEqual(heard.result, { from: 'node' });
assert.equal(new Set(heard.statuses).size, heard.statuses.length, `each status once: ${heard.statuses}`);
console.log('ok job', job.id, heard.statuses.join(' '));

await assert.rejects(lq.submit({ type: 'teleport' }), (e) => e instanceof ProblemError && e.status === 400
  && e.errors.some((f) => f.field === 'type'));
console.log('ok problem+json error');

lq.close();
await new Promise((resolve) => lq.on('state', ({ state }) => state === 'closed' && resolve()));
assert.deepEqual(states, ['connecting', 'connected', 'closed']);
console.log('ok closed');
clearTimeout(watchdog); // nothing else may keep the process alive: it must exit by itself now
