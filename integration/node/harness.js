// The flows' shared harness: named checks that stop at the first failure,
// and a main that runs a flow in RESP2 then RESP3 and exits non-zero when a
// check failed (the Go test reads the exit code and the output).
'use strict';

let passed = 0;

async function check(name, fn) {
  try {
    await fn();
  } catch (err) {
    console.log(`FAIL ${name}`);
    throw err;
  }
  passed++;
  console.log(`ok ${name}`);
}

const { createClient } = require('redis');

const PORT = Number(process.env.MRS_PORT);
if (!PORT) {
  console.error('MRS_PORT is not set');
  process.exit(2);
}

// connect opens a client of the server the Go test started (MRS_PORT) in
// protocol resp. node-redis 5 refuses the search commands over RESP3 (their
// replies are marked unstable) unless the application opts in, as these
// flows do.
async function connect(resp) {
  const client = createClient({
    socket: { host: '127.0.0.1', port: PORT },
    RESP: resp,
    unstableResp3: resp === 3,
  });
  client.on('error', (err) => console.error('client error', err));
  await client.connect();
  return client;
}

function main(run) {
  (async () => {
    try {
      await run(2);
      await run(3);
    } catch (err) {
      console.error(err);
      console.log(`stopped at the first failed check, after ${passed} good ones`);
      process.exit(1);
    }
    console.log(`all ${passed} checks good`);
  })();
}

module.exports = { check, connect, main };
