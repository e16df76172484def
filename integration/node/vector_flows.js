'use strict';
// Vector search through node-redis 5 (npm `redis`), in RESP2 and RESP3, as
// an application issues it: client.ft.create with SCHEMA_FIELD_TYPE.VECTOR
// (FLAT, HNSW, SVS-VAMANA), hSet with Buffer blobs, client.ft.search with
// PARAMS, SORTBY the distance alias, DIALECT 2 and RETURN.
//
// integration/vector_node_test.go runs it against a server with the search
// module, the port in MRS_PORT. It prints one line per check and exits
// non-zero on the first failed one.
//
// The corpus (the same as the go-redis and redis-py tests): six 4-d vectors
// whose coordinates are multiples of 1/4, so every L2 and IP distance to the
// query is a multiple of 1/16, exact in float32 and float64, printed exactly
// (%.12g).
//
//   doc  vector                    cat    price
//   1    (1,    0,    0,    0)     red    10
//   2    (0.5,  0.5,  0,    0)     red    20
//   3    (0,    1,    0,    0)     blue   30
//   4    (0.25, 0.25, 0.25, 0.25)  blue   40
//   5    (0,    0,    1,    0.5)   green  50
//   6    (0.75, 0,    0,    0.25)  green  60
//
// Query q = (1, 0.25, 0, 0).
//
// L2 (squared Euclidean):
//   doc:1  0² + 0.25²                  = 0.0625
//   doc:6  0.25² + 0.25² + 0² + 0.25²  = 0.1875
//   doc:2  0.5² + 0.25²                = 0.3125
//   doc:4  0.75² + 0² + 0.25² + 0.25²  = 0.6875
//   doc:3  1² + 0.75²                  = 1.5625
//   doc:5  1² + 0.25² + 1² + 0.5²      = 2.3125
// IP (1 - q·x):
//   doc:1 1 - 1 = 0; doc:6 1 - 0.75 = 0.25; doc:2 1 - 0.625 = 0.375;
//   doc:4 1 - 0.3125 = 0.6875; doc:3 1 - 0.25 = 0.75; doc:5 1 - 0 = 1
// COSINE (1 - q·x/(|q||x|), |q| = √17/4):
//   doc:1 1 - 4/√17; doc:6 1 - 12/√170; doc:2 1 - 5/√34;
//   doc:4 1 - 2.5/√17; doc:3 1 - 1/√17; doc:5 1
//   The module computes FLOAT32 COSINE in float32 (normalised vectors, then
//   1 - dot): a few roundings of values <= 1, each <= 2^-24 ≈ 6e-8, so the
//   printed value is within 1e-6 of the exact one (the 2.10.25 recordings
//   show at most 1.5e-7 on 8-d vectors); the distances are >= 0.04 apart.
//
// Every hybrid query filters on (@cat:{red|green} @price:[15 100]), which
// keeps doc:2, doc:5, doc:6, and takes the 2 nearest: doc:6 then doc:2
// under every metric above.

const assert = require('node:assert/strict');
const { check, connect, main } = require('./harness');
const { SCHEMA_FIELD_TYPE, SCHEMA_VECTOR_FIELD_ALGORITHM } = require('redis');

const DOCS = [
  [1, [1, 0, 0, 0], 'red', 10],
  [2, [0.5, 0.5, 0, 0], 'red', 20],
  [3, [0, 1, 0, 0], 'blue', 30],
  [4, [0.25, 0.25, 0.25, 0.25], 'blue', 40],
  [5, [0, 0, 1, 0.5], 'green', 50],
  [6, [0.75, 0, 0, 0.25], 'green', 60],
];
const Q = [1, 0.25, 0, 0];

const L2 = { 1: '0.0625', 6: '0.1875', 2: '0.3125', 4: '0.6875', 3: '1.5625', 5: '2.3125' };
const IP = { 1: '0', 6: '0.25', 2: '0.375', 4: '0.6875', 3: '0.75', 5: '1' };
const COSINE = {
  1: 1 - 4 / Math.sqrt(17),
  6: 1 - 12 / Math.sqrt(170),
  2: 1 - 5 / Math.sqrt(34),
  4: 1 - 2.5 / Math.sqrt(17),
  3: 1 - 1 / Math.sqrt(17),
  5: 1,
};
const COSINE_TOLERANCE = 1e-6;
const ORDER = [1, 6, 2, 4, 3, 5]; // nearest first, the same for the three metrics

function blob(type, v) {
  if (type === 'FLOAT32') {
    const b = Buffer.alloc(4 * v.length);
    v.forEach((x, i) => b.writeFloatLE(x, i * 4));
    return b;
  }
  if (type === 'FLOAT64') {
    const b = Buffer.alloc(8 * v.length);
    v.forEach((x, i) => b.writeDoubleLE(x, i * 8));
    return b;
  }
  throw new Error(`no encoder for ${type}`);
}

// The indexes: one per algorithm, and the IP and COSINE metrics.
const INDEXES = [
  {
    name: 'hnsw_l2', table: L2, type: 'FLOAT32', radius: 0.5, // 0.3125 <= 0.5 < 0.6875
    field: { type: SCHEMA_FIELD_TYPE.VECTOR, ALGORITHM: SCHEMA_VECTOR_FIELD_ALGORITHM.HNSW, TYPE: 'FLOAT32', DIM: 4, DISTANCE_METRIC: 'L2', M: 8, EF_CONSTRUCTION: 100, EF_RUNTIME: 20 },
  },
  {
    name: 'flat_ip', table: IP, type: 'FLOAT64', radius: 0.5, // 0.375 <= 0.5 < 0.6875
    field: { type: SCHEMA_FIELD_TYPE.VECTOR, ALGORITHM: SCHEMA_VECTOR_FIELD_ALGORITHM.FLAT, TYPE: 'FLOAT64', DIM: 4, DISTANCE_METRIC: 'IP', INITIAL_CAP: 10, BLOCK_SIZE: 4 },
  },
  {
    name: 'flat_cosine', table: COSINE, type: 'FLOAT32', radius: 0.2, // 0.1425 <= 0.2 < 0.3937
    field: { type: SCHEMA_FIELD_TYPE.VECTOR, ALGORITHM: SCHEMA_VECTOR_FIELD_ALGORITHM.FLAT, TYPE: 'FLOAT32', DIM: 4, DISTANCE_METRIC: 'COSINE' },
  },
  {
    name: 'vamana_l2', table: L2, type: 'FLOAT32', radius: 0.5,
    field: { type: SCHEMA_FIELD_TYPE.VECTOR, ALGORITHM: SCHEMA_VECTOR_FIELD_ALGORITHM.VAMANA, TYPE: 'FLOAT32', DIM: 4, DISTANCE_METRIC: 'L2', GRAPH_MAX_DEGREE: 16, CONSTRUCTION_WINDOW_SIZE: 64, SEARCH_WINDOW_SIZE: 20 },
  },
];

// hits turns either protocol's reply into {total, hits: [{id, d, fields}]},
// checking the RESP3 shape on the way.
function hits(resp, reply) {
  if (resp === 2) {
    return {
      total: reply.total,
      hits: reply.documents.map((doc) => ({ id: doc.id, d: doc.value.d, fields: doc.value })),
    };
  }
  // RESP3: node-redis returns the module's map as it is.
  assert.equal(typeof reply.total_results, 'number', `total_results in ${JSON.stringify(reply)}`);
  assert.equal(reply.format, 'STRING');
  assert.ok(Array.isArray(reply.results), 'results is an array');
  return {
    total: reply.total_results,
    hits: reply.results.map((r) => {
      const attrs = r.extra_attributes;
      // In the STRING format a distance is a string, as in RESP2.
      assert.equal(typeof attrs.d, 'string', `distance ${JSON.stringify(attrs.d)} of ${r.id}`);
      return { id: r.id, d: attrs.d, fields: attrs };
    }),
  };
}

function checkHits(ix, prefix, got, wantTotal, want) {
  assert.equal(got.total, wantTotal, 'total');
  assert.deepEqual(got.hits.map((h) => h.id), want.map((n) => prefix + n), 'ids');
  got.hits.forEach((h, i) => {
    const n = want[i];
    if (ix.table === COSINE) {
      const d = Number(h.d);
      assert.ok(Math.abs(d - COSINE[n]) <= COSINE_TOLERANCE, `${h.id} COSINE distance ${h.d}, want ${COSINE[n]} ± ${COSINE_TOLERANCE}`);
    } else {
      assert.equal(h.d, ix.table[n], `${h.id} distance`);
    }
  });
}

async function run(resp) {
  const client = await connect(resp);
  try {
    await client.flushAll();
    for (const ix of INDEXES) {
      const idx = `vn_${ix.name}`;
      const prefix = `${idx}:`;
      const tag = `RESP${resp} ${ix.name}`;
      const B = blob(ix.type, Q);

      await check(`${tag} create and load`, async () => {
        const ok = await client.ft.create(idx, {
          v: ix.field,
          cat: SCHEMA_FIELD_TYPE.TAG,
          price: { type: SCHEMA_FIELD_TYPE.NUMERIC },
        }, { ON: 'HASH', PREFIX: prefix });
        assert.equal(ok, 'OK');
        for (const [n, v, cat, price] of DOCS) {
          assert.equal(await client.hSet(prefix + n, { v: blob(ix.type, v), cat, price: String(price) }), 3);
        }
      });
      await check(`${tag} KNN 2`, async () => {
        const reply = await client.ft.search(idx, '*=>[KNN 2 @v $B AS d]', { PARAMS: { B }, SORTBY: 'd', DIALECT: 2, RETURN: ['d'] });
        checkHits(ix, prefix, hits(resp, reply), 2, ORDER.slice(0, 2));
      });
      await check(`${tag} KNN $K over every document`, async () => {
        const reply = await client.ft.search(idx, '*=>[KNN $K @v $B AS d]', { PARAMS: { B, K: 10 }, SORTBY: 'd', DIALECT: 2, RETURN: ['d'], LIMIT: { from: 0, size: 10 } });
        checkHits(ix, prefix, hits(resp, reply), 6, ORDER);
      });
      await check(`${tag} hybrid`, async () => {
        const reply = await client.ft.search(idx, '(@cat:{red|green} @price:[15 100])=>[KNN 2 @v $B AS d]', {
          PARAMS: { B }, SORTBY: { BY: 'd', DIRECTION: 'ASC' }, DIALECT: 2, RETURN: ['d', 'cat', 'price'],
        });
        const got = hits(resp, reply);
        checkHits(ix, prefix, got, 2, [6, 2]);
        assert.deepEqual(got.hits.map((h) => [h.fields.cat, h.fields.price]), [['green', '60'], ['red', '20']]);
      });
      await check(`${tag} VECTOR_RANGE`, async () => {
        const reply = await client.ft.search(idx, '@v:[VECTOR_RANGE $r $B]=>{$YIELD_DISTANCE_AS: d}', {
          PARAMS: { B, r: ix.radius }, SORTBY: 'd', DIALECT: 2, RETURN: ['d'],
        });
        checkHits(ix, prefix, hits(resp, reply), 3, ORDER.slice(0, 3));
      });
    }
  } finally {
    await client.close();
  }
}

main(run);
