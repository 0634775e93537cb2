// livequeue.js's bearer option against a stack with livequeue.auth=api-keys:
// node --experimental-websocket livequeue-node-bearer.mjs <module> <gateway> <producer> <api key>
// Prints one line per check; exits 0 only when all pass.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';

const [modulePath, gateway, producer, key] = process.argv.slice(2);
const { connect, ProblemError } = await import(pathToFileURL(modulePath).href);
const watchdog = setTimeout(() => { console.error('FAIL: timed out'); process.exit(1); }, 30000);

const anonymous = connect({ gateway, producer, retries: 0 });
await assert.rejects(anonymous.submit({ type: 'echo' }), (e) => e instanceof ProblemError && e.status === 401);
console.log('ok refused without a bearer');

let asked = 0;
const lq = connect({ gateway, producer, bearer: async () => { asked++; return key; } });
await new Promise((resolve) => lq.on('welcome', resolve));
const job = await lq.submit({ type: 'echo', payload: { from: 'node' } });
const result = await new Promise((resolve) => lq.watch(job, (ev) => ev.status === 'completed' && resolve(ev.result)));
assert.deepEqual(result, { from: 'node' });
assert.equal(asked, 1);
console.log('ok submitted with a bearer and watched', job.id);

anonymous.close();
lq.close();
clearTimeout(watchdog);
