'use strict';
// The JSON module and search ON JSON through node-redis 5 (npm `redis`), in
// RESP2 and RESP3, as an application issues them: client.json.set / get /
// arrAppend / numIncrBy / type / mGet / del, client.ft.create with
// ON: 'JSON' and `$.path AS alias` fields (TEXT, TAG, NUMERIC),
// client.ft.search with RETURN of paths and DIALECT 3, client.ft.aggregate
// with LOAD of a path and GROUPBY.
//
// integration/json_node_test.go runs it against a server with the search
// and JSON modules, the port in MRS_PORT. It prints one line per check and
// exits non-zero on the first failed one.
//
// Expected values:
// - the users, the index and the queries "Paul @age:[30 40]",
//   "Paul" RETURN 1 $.city and GROUPBY 1 @city REDUCE COUNT 0 AS count are
//   redis.io's "Index and query JSON documents" example (also node-redis'
//   own search-json example), with their documented results;
// - the JSON commands' replies are worked out by hand from the JSON module's
//   documented reply shapes (commands/json.*): a JSONPath ($...) gives an
//   array per path, a legacy path (or none: ".") a single value; node-redis
//   parses JSON.GET's/MGET's strings, and NUMINCRBY's RESP2 string, and
//   unwraps JSON.TYPE's RESP3 array (its TYPE transformReply[3]);
// - DIALECT 3 returns every path's values as a JSON array
//   (search docs: "Return multiple values"), so RETURN 1 $.city gives
//   '["London"]';
// - the document under "$" is the module's compact serialization of the
//   stored JSON, members in the order they were set.

const assert = require('node:assert/strict');
const { check, connect, main } = require('./harness');
const { SCHEMA_FIELD_TYPE } = require('redis');

const USERS = {
  'user:1': { name: 'Paul John', email: 'paul.john@example.com', age: 42, city: 'London' },
  'user:2': { name: 'Eden Zamir', email: 'eden.zamir@example.com', age: 29, city: 'Tel Aviv' },
  'user:3': { name: 'Paul Zamir', email: 'paul.zamir@example.com', age: 35, city: 'Tel Aviv' },
};

// docs turns either protocol's FT.SEARCH reply into {total, docs: [{id,
// fields}]}; RESP2 fields come from node-redis' documentValue (it parses a
// "$" field), RESP3 from the module's map as it is.
function docs(resp, reply) {
  if (resp === 2) {
    return { total: reply.total, docs: reply.documents.map((d) => ({ id: d.id, fields: { ...d.value } })) };
  }
  assert.equal(typeof reply.total_results, 'number', `total_results in ${JSON.stringify(reply)}`);
  return {
    total: reply.total_results,
    docs: reply.results.map((r) => ({ id: r.id, fields: { ...r.extra_attributes } })),
  };
}

// rows turns either protocol's FT.AGGREGATE reply into {total, rows}.
function rows(resp, reply) {
  if (resp === 2) {
    return { total: reply.total, rows: reply.results.map((r) => ({ ...r })) };
  }
  assert.ok(Array.isArray(reply.results), `results in ${JSON.stringify(reply)}`);
  return { total: reply.total_results, rows: reply.results.map((r) => ({ ...r.extra_attributes })) };
}

async function run(resp) {
  const client = await connect(resp);
  const tag = `RESP${resp}`;
  try {
    await client.flushAll();

    await check(`${tag} json.set, json.get (legacy root, one path, several paths)`, async () => {
      assert.equal(await client.json.set('jdoc', '$', { a: 1, arr: [1], s: 'x', o: { t: true } }), 'OK');
      assert.deepEqual(await client.json.get('jdoc'), { a: 1, arr: [1], s: 'x', o: { t: true } });
      assert.deepEqual(await client.json.get('jdoc', { path: '$.a' }), [1]);
      assert.deepEqual(await client.json.get('jdoc', { path: '.s' }), 'x');
      assert.deepEqual(await client.json.get('jdoc', { path: ['$.a', '$.o.t'] }), { '$.a': [1], '$.o.t': [true] });
      assert.equal(await client.json.get('nokey'), null);
      // NX on an existing key: nothing set, a null reply.
      assert.equal(await client.json.set('jdoc', '$', 1, { condition: 'NX' }), null);
    });

    await check(`${tag} json.arrAppend, json.numIncrBy`, async () => {
      // [1] + 2, 3 -> length 3, one array per matched path.
      assert.deepEqual(await client.json.arrAppend('jdoc', '$.arr', 2, 3), [3]);
      // 1 + 2 = 3 (integers stay integers), then 3 + 0.5 = 3.5.
      assert.deepEqual(await client.json.numIncrBy('jdoc', '$.a', 2), [3]);
      assert.deepEqual(await client.json.numIncrBy('jdoc', '$.a', 0.5), [3.5]);
      // A path to something that is no number answers null.
      assert.deepEqual(await client.json.numIncrBy('jdoc', '$.o.t', 1), [null]);
      assert.deepEqual(await client.json.get('jdoc', { path: '$' }), [{ a: 3.5, arr: [1, 2, 3], s: 'x', o: { t: true } }]);
    });

    await check(`${tag} json.type, json.mGet`, async () => {
      assert.deepEqual(await client.json.type('jdoc', { path: '$.arr' }), ['array']);
      assert.deepEqual(await client.json.type('jdoc', { path: '$..a' }), ['number']);
      assert.equal(await client.json.type('jdoc'), 'object');
      assert.equal(await client.json.set('jdoc2', '$', { s: 'y' }), 'OK');
      assert.deepEqual(await client.json.mGet(['jdoc', 'jdoc2', 'nokey'], '$.s'), [['x'], ['y'], null]);
      assert.deepEqual(await client.json.mGet(['jdoc', 'jdoc2'], '.s'), ['x', 'y']);
    });

    await check(`${tag} json.del`, async () => {
      assert.equal(await client.json.del('jdoc', { path: '$.s' }), 1);
      assert.equal(await client.json.del('jdoc', { path: '$.s' }), 0);
      assert.deepEqual(await client.json.get('jdoc'), { a: 3.5, arr: [1, 2, 3], o: { t: true } });
      assert.equal(await client.json.del('jdoc'), 1);
      assert.equal(await client.json.del('jdoc2'), 1);
      assert.equal(await client.exists('jdoc'), 0);
    });

    await check(`${tag} ft.create ON JSON with $.path AS alias`, async () => {
      const ok = await client.ft.create('idx:users', {
        '$.name': { type: SCHEMA_FIELD_TYPE.TEXT, AS: 'name' },
        '$.city': { type: SCHEMA_FIELD_TYPE.TAG, AS: 'city' },
        '$.age': { type: SCHEMA_FIELD_TYPE.NUMERIC, AS: 'age' },
      }, { ON: 'JSON', PREFIX: 'user:' });
      assert.equal(ok, 'OK');
      for (const [key, user] of Object.entries(USERS)) {
        assert.equal(await client.json.set(key, '$', user), 'OK');
      }
    });

    await check(`${tag} ft.search: the document under $`, async () => {
      const got = docs(resp, await client.ft.search('idx:users', 'Paul @age:[30 40]'));
      assert.equal(got.total, 1);
      assert.deepEqual(got.docs.map((d) => d.id), ['user:3']);
      if (resp === 2) {
        // node-redis parsed the "$" field into the document's members.
        assert.deepEqual(got.docs[0].fields, USERS['user:3']);
      } else {
        assert.deepEqual(got.docs[0].fields, {
          $: '{"name":"Paul Zamir","email":"paul.zamir@example.com","age":35,"city":"Tel Aviv"}',
        });
      }
    });

    await check(`${tag} ft.search RETURN of paths (and AS), TAG and SORTBY`, async () => {
      let got = docs(resp, await client.ft.search('idx:users', 'Paul', { RETURN: ['$.city'], SORTBY: 'age' }));
      assert.equal(got.total, 2);
      assert.deepEqual(got.docs, [
        { id: 'user:3', fields: { '$.city': 'Tel Aviv' } },
        { id: 'user:1', fields: { '$.city': 'London' } },
      ]);
      got = docs(resp, await client.ft.search('idx:users', '@city:{Tel\\ Aviv}', {
        RETURN: ['$.name', 'AS', 'n', 'age'], SORTBY: { BY: 'age', DIRECTION: 'DESC' },
      }));
      assert.equal(got.total, 2);
      assert.deepEqual(got.docs, [
        { id: 'user:3', fields: { n: 'Paul Zamir', age: '35' } },
        { id: 'user:2', fields: { n: 'Eden Zamir', age: '29' } },
      ]);
    });

    await check(`${tag} ft.search DIALECT 3: values as JSON arrays`, async () => {
      const got = docs(resp, await client.ft.search('idx:users', '@age:[40 50]', { RETURN: ['$.city', 'name'], DIALECT: 3 }));
      assert.equal(got.total, 1);
      assert.deepEqual(got.docs, [{ id: 'user:1', fields: { '$.city': '["London"]', name: '["Paul John"]' } }]);
      const whole = docs(resp, await client.ft.search('idx:users', '@age:[40 50]', { DIALECT: 3 }));
      const raw = '[{"name":"Paul John","email":"paul.john@example.com","age":42,"city":"London"}]';
      if (resp === 2) {
        // documentValue's JSON.parse of the array spreads it by index.
        assert.deepEqual(whole.docs[0].fields, { 0: USERS['user:1'] });
      } else {
        assert.deepEqual(whole.docs[0].fields, { $: raw });
      }
    });

    await check(`${tag} ft.aggregate LOAD of a path, GROUPBY`, async () => {
      let got = rows(resp, await client.ft.aggregate('idx:users', '@city:{London}', {
        LOAD: ['$.name', { identifier: '$.age', AS: 'a' }],
      }));
      assert.deepEqual(got.rows, [{ '$.name': 'Paul John', a: '42' }]);
      got = rows(resp, await client.ft.aggregate('idx:users', '*', {
        STEPS: [{ type: 'GROUPBY', properties: ['@city'], REDUCE: [{ type: 'COUNT', AS: 'count' }] }],
      }));
      got.rows.sort((x, y) => (x.city < y.city ? -1 : 1));
      assert.deepEqual(got.rows, [{ city: 'London', count: '1' }, { city: 'Tel Aviv', count: '2' }]);
    });

    await check(`${tag} a JSON write reindexes before the next command`, async () => {
      assert.deepEqual(await client.json.numIncrBy('user:2', '$.age', 10), [39]);
      let got = docs(resp, await client.ft.search('idx:users', '@age:[36 40]', { RETURN: ['age'] }));
      assert.deepEqual(got.docs, [{ id: 'user:2', fields: { age: '39' } }]);
      assert.equal(await client.json.del('user:2', { path: '$.age' }), 1);
      got = docs(resp, await client.ft.search('idx:users', '@age:[36 40]', { RETURN: ['age'] }));
      assert.equal(got.total, 0);
    });
  } finally {
    await client.flushAll();
    await client.quit();
  }
}

main(run);
