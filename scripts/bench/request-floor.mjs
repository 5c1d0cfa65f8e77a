// The floor under a per-instance check: what one HTTP request costs a Node process on this machine when
// it does nothing else. Plain node:net, one GET per instance per pass with keep-alive connections (at most
// `perOrigin` per origin, `concurrency` requests at once), the same requests the monitor's state read sends,
// and nothing of the monitor: no database, no checks, no TLS, no URL handling, no timers per request.
// The runner section of `npm run bench` runs it beside the runner, at the runner's pattern, and prints
// its CPU per request as the lowest CPU per check any per-instance runner in Node could reach here.
//   node scripts/bench/request-floor.mjs '{"targets":[{"url":"http://127.0.0.1:1234","names":["a"]}],
//     "key":"K","everyMs":20000,"passes":7,"concurrency":50,"perOrigin":20}'
// Prints one JSON line: { requests, userMs, systemMs } over every pass after the first.
import net from "node:net";

const options = JSON.parse(process.argv[2]);
const jobs = options.targets.flatMap(({ url, names }) => {
  const { hostname, port } = new URL(url);
  return names.map((name) => ({
    origin: `${hostname}:${port}`, hostname, port: Number(port),
    request: Buffer.from(`GET /instance/connectionState/${encodeURIComponent(name)} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n` +
      `apikey: ${options.key}\r\naccept: application/json\r\n\r\n`),
  }));
});

/** Idle keep-alive sockets per origin, and how many are open (idle or busy). */
const pools = new Map();
function poolOf(origin) {
  let pool = pools.get(origin);
  if (!pool) pools.set(origin, (pool = { idle: [], open: 0, waiting: [] }));
  return pool;
}

function openSocket(job, pool) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(job.port, job.hostname, () => resolve(socket));
    pool.open++;
    socket.once("error", reject);
    socket.once("close", () => {
      pool.open--;
      const at = pool.idle.indexOf(socket);
      if (at >= 0) pool.idle.splice(at, 1);
    });
  });
}

async function acquire(job) {
  const pool = poolOf(job.origin);
  if (pool.idle.length > 0) return pool.idle.pop();
  if (pool.open < options.perOrigin) return openSocket(job, pool);
  return new Promise((resolve) => pool.waiting.push(resolve));
}

function release(job, socket) {
  const pool = poolOf(job.origin);
  const next = pool.waiting.shift();
  if (next) next(socket);
  else pool.idle.push(socket);
}

/** One request: writes it, reads until the body named by content-length is in. */
function exchange(socket, request) {
  return new Promise((resolve, reject) => {
    let head = null;
    let chunks = [];
    let length = 0;
    const onData = (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
      const data = chunks.length === 1 ? chunk : Buffer.concat(chunks);
      if (!head) {
        const end = data.indexOf("\r\n\r\n");
        if (end < 0) return;
        const contentLength = Number(/content-length:\s*(\d+)/i.exec(data.subarray(0, end).toString("latin1"))?.[1] ?? 0);
        head = { bodyStart: end + 4, total: end + 4 + contentLength };
      }
      if (length >= head.total) {
        socket.off("data", onData);
        socket.off("error", reject);
        resolve(data.subarray(head.bodyStart, head.total).toString("utf8"));
      }
      chunks = [data];
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.write(request);
  });
}

async function pass() {
  let next = 0;
  const slot = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const socket = await acquire(job);
      JSON.parse(await exchange(socket, job.request));
      release(job, socket);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, slot));
}

let before = null;
for (let i = 0; i < options.passes; i++) {
  const started = Date.now();
  await pass();
  if (i === 0) before = process.cpuUsage();
  if (i < options.passes - 1) await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.everyMs - (Date.now() - started))));
}
const used = process.cpuUsage(before);
process.stdout.write(`${JSON.stringify({ requests: jobs.length * (options.passes - 1), userMs: used.user / 1000, systemMs: used.system / 1000 })}\n`);
for (const pool of pools.values()) for (const socket of pool.idle) socket.destroy();
