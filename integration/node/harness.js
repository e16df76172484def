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

module.exports = { check, main };
