'use strict';
// GEOSHAPE through node-redis 5 (npm `redis`), in RESP2 and RESP3, as an
// application issues it: client.ft.create with SCHEMA_FIELD_TYPE.GEOSHAPE,
// hSet with WKT strings, client.ft.search / searchNoContent with PARAMS,
// DIALECT 3, SORTBY and RETURN.
//
// integration/geoshape_node_test.go runs it against a server with the
// search module, the port in MRS_PORT. It prints one line per check and
// exits non-zero on the first failed one.
//
// node-redis' COORD_SYSTEM option sends `GEOSHAPE COORD_SYSTEM FLAT`, but
// the module (spec.c parseGeometryField) takes the coordinate system as the
// bare word after GEOSHAPE: it reads a SPHERICAL field, then a field named
// COORD_SYSTEM whose type is FLAT, and refuses it with
// "Invalid field type for field `COORD_SYSTEM`". An application gets a
// SPHERICAL field from the typed API (no COORD_SYSTEM), and a FLAT one
// through sendCommand; both are queried through client.ft.search.
//
// The shapes and the expected ids are the module's own tests'
// (tests/pytests/test_geometry_sphere.py testSanitySearchHashWithin,
// test_geometry_flat.py testSanitySearchPointWithin), the cases they leave
// out answered by Boost.Geometry (module/index/testdata/geoshape_oracle.cpp):
//
// SPHERICAL   small = the 0.0099° square at (34.9001, 29.7001)
//             large = the 0.0199° square at the same corner, with a hole
//                     (34.9002..34.9049, 29.7002..29.7049)
//   within   Q150 (34.9000..34.9150, 29.7000..29.7150)   -> small
//   contains Q150                                          -> none
//   contains H (34.9050..34.9099, 29.7050..29.7099)        -> small, large
//   within   Q250 (34.9000..34.9250, 29.7000..29.7250)    -> small, large
//   intersects POINT(34.9003 29.7003), in large's hole     -> small
// FLAT        point = POINT(10 10), small = the square 1..100,
//             large = the square 1..200
//   within   (0..150)                                     -> point, small
//   contains (2..50)  and  contains POINT(50 50)          -> small, large
//   within   (0..250)                                     -> point, small, large
//   intersects (150..250)                                  -> large
//   disjoint   (150..250)                                  -> point, small

const assert = require('node:assert/strict');
const { check, connect, main } = require('./harness');
const { SCHEMA_FIELD_TYPE } = require('redis');

const box = (x0, y0, x1, y1) => `POLYGON((${x0} ${y0}, ${x0} ${y1}, ${x1} ${y1}, ${x1} ${y0}, ${x0} ${y0}))`;

const S_SMALL = 'POLYGON((34.9001 29.7001, 34.9001 29.7100, 34.9100 29.7100, 34.9100 29.7001, 34.9001 29.7001))';
const S_LARGE = 'POLYGON((34.9001 29.7001, 34.9001 29.7200, 34.9200 29.7200, 34.9200 29.7001, 34.9001 29.7001), ' +
  '(34.9002 29.7002, 34.9049 29.7002, 34.9049 29.7049, 34.9002 29.7049, 34.9002 29.7002))';
const S_Q150 = 'POLYGON((34.9000 29.7000, 34.9000 29.7150, 34.9150 29.7150, 34.9150 29.7000, 34.9000 29.7000))';
const S_Q250 = 'POLYGON((34.9000 29.7000, 34.9000 29.7250, 34.9250 29.7250, 34.9250 29.7000, 34.9000 29.7000))';
const S_HOLE = 'POLYGON((34.9050 29.7050, 34.9050 29.7099, 34.9099 29.7099, 34.9099 29.7050, 34.9050 29.7050))';

const F_POINT = 'POINT(10 10)';
const F_SMALL = box(1, 1, 100, 100);
const F_LARGE = box(1, 1, 200, 200);

// docs turns either protocol's FT.SEARCH reply into {total, ids, fields}.
function docs(resp, reply) {
  if (resp === 2) {
    return {
      total: reply.total,
      ids: reply.documents.map((d) => (typeof d === 'string' ? d : d.id)),
      fields: reply.documents.map((d) => (typeof d === 'string' ? undefined : { ...d.value })),
    };
  }
  // RESP3: node-redis returns the module's map as it is.
  assert.equal(typeof reply.total_results, 'number', `total_results in ${JSON.stringify(reply)}`);
  assert.ok(Array.isArray(reply.results), 'results is an array');
  return {
    total: reply.total_results,
    ids: reply.results.map((r) => r.id),
    fields: reply.results.map((r) => (r.extra_attributes ? { ...r.extra_attributes } : undefined)),
  };
}

async function run(resp) {
  const client = await connect(resp);
  const tag = `RESP${resp}`;
  // search: the ids of a geometry query, sorted by the n field.
  const search = async (idx, query, wkt, extra = {}) => {
    const reply = await client.ft.searchNoContent(idx, query, { PARAMS: { area: wkt }, DIALECT: 3, SORTBY: 'n', ...extra });
    return docs(resp, reply);
  };
  try {
    await client.flushAll();

    await check(`${tag} COORD_SYSTEM is read as another field`, async () => {
      // The option's type is the values of @redis/search's
      // SCHEMA_GEO_SHAPE_COORD_SYSTEM, which the package does not export.
      for (const cs of ['FLAT', 'SPHERICAL']) {
        await assert.rejects(
          client.ft.create('gs_typed', { geom: { type: SCHEMA_FIELD_TYPE.GEOSHAPE, COORD_SYSTEM: cs } }, { ON: 'HASH', PREFIX: 'typed:' }),
          (err) => {
            assert.equal(err.message, 'Invalid field type for field `COORD_SYSTEM`');
            return true;
          },
        );
      }
      assert.deepEqual(await client.ft._list(), []);
    });

    await check(`${tag} SPHERICAL create and load`, async () => {
      const ok = await client.ft.create('gs_sph', {
        geom: { type: SCHEMA_FIELD_TYPE.GEOSHAPE, INDEXMISSING: true },
        n: { type: SCHEMA_FIELD_TYPE.NUMERIC, SORTABLE: true },
      }, { ON: 'HASH', PREFIX: 'sph:' });
      assert.equal(ok, 'OK');
      assert.equal(await client.hSet('sph:small', { geom: S_SMALL, n: '1' }), 2);
      assert.equal(await client.hSet('sph:large', { geom: S_LARGE, n: '2' }), 2);
      assert.equal(await client.hSet('sph:none', { n: '3' }), 1);
    });
    await check(`${tag} SPHERICAL within, contains, intersects`, async () => {
      let got = await search('gs_sph', '@geom:[WITHIN $area]', S_Q150);
      assert.deepEqual([got.total, got.ids], [1, ['sph:small']]);
      got = await search('gs_sph', '@geom:[CONTAINS $area]', S_Q150);
      assert.deepEqual([got.total, got.ids], [0, []]);
      got = await search('gs_sph', '@geom:[contains $area]', S_HOLE);
      assert.deepEqual([got.total, got.ids], [2, ['sph:small', 'sph:large']]);
      got = await search('gs_sph', '@geom:[within $area]', S_Q250);
      assert.deepEqual([got.total, got.ids], [2, ['sph:small', 'sph:large']]);
      got = await search('gs_sph', '@geom:[INTERSECTS $area]', 'POINT(34.9003 29.7003)');
      assert.deepEqual([got.total, got.ids], [1, ['sph:small']]);
    });
    await check(`${tag} SPHERICAL with a numeric filter and RETURN`, async () => {
      const reply = await client.ft.search('gs_sph', '@geom:[WITHIN $area] @n:[2 +inf]', {
        PARAMS: { area: S_Q250 }, DIALECT: 3, RETURN: ['n'],
      });
      const got = docs(resp, reply);
      assert.deepEqual([got.total, got.ids, got.fields], [1, ['sph:large'], [{ n: '2' }]]);
    });

    await check(`${tag} FLAT create (sendCommand) and load`, async () => {
      const ok = await client.sendCommand(['FT.CREATE', 'gs_flat', 'ON', 'HASH', 'PREFIX', '1', 'flat:',
        'SCHEMA', 'geom', 'GEOSHAPE', 'FLAT', 'n', 'NUMERIC', 'SORTABLE']);
      assert.equal(ok, 'OK');
      assert.equal(await client.hSet('flat:point', { geom: F_POINT, n: '1' }), 2);
      assert.equal(await client.hSet('flat:small', { geom: F_SMALL, n: '2' }), 2);
      assert.equal(await client.hSet('flat:large', { geom: F_LARGE, n: '3' }), 2);
    });
    await check(`${tag} FLAT predicates`, async () => {
      const cases = [
        ['@geom:[WITHIN $area]', box(0, 0, 150, 150), ['flat:point', 'flat:small']],
        ['@geom:[CONTAINS $area]', box(2, 2, 50, 50), ['flat:small', 'flat:large']],
        ['@geom:[CONTAINS $area]', 'POINT(50 50)', ['flat:small', 'flat:large']],
        ['@geom:[WITHIN $area]', box(0, 0, 250, 250), ['flat:point', 'flat:small', 'flat:large']],
        ['@geom:[INTERSECTS $area]', box(150, 150, 250, 250), ['flat:large']],
        ['@geom:[DISJOINT $area]', box(150, 150, 250, 250), ['flat:point', 'flat:small']],
        ['@geom:[WITHIN $area] @n:[2 3]', box(0, 0, 150, 150), ['flat:small']],
      ];
      for (const [query, wkt, want] of cases) {
        const got = await search('gs_flat', query, wkt);
        assert.deepEqual([got.total, got.ids], [want.length, want], `${query} ${wkt}`);
      }
    });
    await check(`${tag} FLAT descending and limited`, async () => {
      const got = await search('gs_flat', '@geom:[WITHIN $area]', box(0, 0, 250, 250), {
        SORTBY: { BY: 'n', DIRECTION: 'DESC' }, LIMIT: { from: 0, size: 2 },
      });
      assert.deepEqual([got.total, got.ids], [3, ['flat:large', 'flat:small']]);
    });
    await check(`${tag} a WKT that does not parse fails the query`, async () => {
      await assert.rejects(search('gs_flat', '@geom:[WITHIN $area]', 'POINT(255, 255)'), (err) => {
        assert.equal(err.message, "Error querying geoshape index: Expected ')' at ',' in 'POINT(255, 255)'");
        return true;
      });
    });
  } finally {
    await client.close();
  }
}

main(run);
