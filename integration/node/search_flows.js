'use strict';
// Suggestions, spell check and dictionaries, synonyms, PHONETIC fields and
// empty/missing values through node-redis 5 (npm `redis`), in RESP2 and
// RESP3, as an application issues them.
//
// integration/search_node_test.go runs it against a server with the search
// module, the port in MRS_PORT. It prints one line per check and exits
// non-zero on the first failed one.
//
// Every expected reply is the real module's, from the cases the Go
// acceptance tests replay (integration/search_acceptance_suggest_test.go,
// search_acceptance_synonyms_test.go, search_acceptance_empty_test.go),
// themselves from RediSearch's tests/pytests (test_suggest.py,
// test_spell_check.py, test_synonyms.py, test_phonetic.py, test_empty.py,
// test_missing.py); scores are computed by hand below.
//
// node-redis helpers used: ft.sugAdd (INCR, PAYLOAD), ft.sugGet (FUZZY,
// MAX), ft.sugGetWithScores, ft.sugGetWithPayloads,
// ft.sugGetWithScoresWithPayloads, ft.sugDel, ft.sugLen, ft.spellCheck
// (DISTANCE, TERMS INCLUDE/EXCLUDE), ft.dictAdd, ft.dictDel, ft.dictDump,
// ft.synUpdate (SKIPINITIALSCAN), ft.synDump, ft.create (PHONETIC,
// INDEXEMPTY, INDEXMISSING), ft.search, ft.searchNoContent, ft.info.
// node-redis has a helper for every command here; sendCommand is not
// needed.

const assert = require('node:assert/strict');
const { check, connect, main } = require('./harness');
const { RESP_TYPES, SCHEMA_FIELD_TYPE, SCHEMA_TEXT_FIELD_PHONETIC } = require('redis');

// f32 is a suggestion's score as the module computes it (a float) and
// prints it (%.17g of the float, so the parsed double is the float's value).
const f32 = Math.fround;

// docs turns ft.search's reply, in either protocol, into
// {total, docs: [{id, fields}]}, checking the RESP3 shape on the way.
function docs(resp, reply) {
  if (resp === 2) {
    return { total: reply.total, docs: reply.documents.map((d) => ({ id: d.id, fields: { ...d.value } })) };
  }
  // RESP3: node-redis returns the module's map as it is.
  assert.equal(typeof reply.total_results, 'number', `total_results in ${JSON.stringify(reply)}`);
  assert.ok(Array.isArray(reply.results), 'results is an array');
  return {
    total: reply.total_results,
    docs: reply.results.map((r) => ({ id: r.id, fields: { ...r.extra_attributes } })),
  };
}

// ids is ft.searchNoContent's reply as {total, ids}.
function ids(resp, reply) {
  if (resp === 2) {
    return { total: reply.total, ids: reply.documents };
  }
  assert.equal(typeof reply.total_results, 'number', `total_results in ${JSON.stringify(reply)}`);
  return { total: reply.total_results, ids: reply.results.map((r) => r.id) };
}

// spell turns ft.spellCheck's reply into [{term, suggestions: [{score,
// suggestion}]}]: node-redis transforms the RESP2 array so; in RESP3 it
// returns the module's map {results: {term: [{word: score}, …]}}.
function spell(resp, reply) {
  if (resp === 2) {
    return reply;
  }
  assert.deepEqual(Object.keys(reply), ['results'], `spell check reply ${JSON.stringify(reply)}`);
  return Object.entries(reply.results).map(([term, sugs]) => ({
    term,
    suggestions: sugs.map((m) => {
      const [[suggestion, score]] = Object.entries(m);
      return { score: exact(resp, score), suggestion };
    }),
  }));
}

// exact turns a RESP3 double, decoded as its text (see run), into the
// double it prints; node-redis decodes RESP2 scores with Number itself.
function exact(resp, v) {
  if (resp === 2) {
    assert.equal(typeof v, 'number', `score ${v}`);
    return v;
  }
  assert.equal(typeof v, 'string', `score ${v} decoded as text`);
  return Number(v);
}

// scored is ft.sugGetWithScores's reply with exact scores.
function scored(resp, reply) {
  return reply.map((r) => ({ ...r, score: exact(resp, r.score) }));
}

function sug(score, suggestion) {
  return { score, suggestion };
}

async function suggestions(client, resp, tag) {
  // test_suggest.py testSuggestions.
  await check(`${tag} sugAdd INCR, sugLen, sugGet FUZZY MAX, sugGetWithScores, sugDel`, async () => {
    assert.equal(await client.ft.sugAdd('ac', 'hello world', 1), 1);
    assert.equal(await client.ft.sugAdd('ac', 'hello world', 1, { INCR: true }), 1);
    assert.deepEqual(await client.ft.sugGet('ac', 'hello'), ['hello world']);
    const more = ['hello werld', 'hallo world', 'yellow world', 'wazzup', 'herp', 'derp'];
    for (let i = 0; i < more.length; i++) {
      assert.equal(await client.ft.sugAdd('ac', more[i], i + 1), i + 2);
    }
    assert.equal(await client.ft.sugLen('ac'), 7);
    assert.deepEqual(await client.ft.sugGet('ac', 'hello'), ['hello world', 'hello werld']);
    assert.deepEqual(await client.ft.sugGet('ac', 'hello', { FUZZY: true }),
      ['hello world', 'hello werld', 'yellow world', 'hallo world']);
    assert.deepEqual(await client.ft.sugGet('ac', 'hello', { FUZZY: true, MAX: 1 }), ['hello world']);
    // By hand (trie_type.c Trie_Search): a prefix match's score is divided
    // by sqrt(1 + |len(string) - len(prefix)|); a fuzzy one is first
    // multiplied by exp(-2·distance), in float. "hello world" scores 2 (1,
    // then INCR 1), "hello werld" 1, "yellow world" 3, "hallo world" 2.
    assert.deepEqual(scored(resp, await client.ft.sugGetWithScores('ac', 'hello')), [
      { suggestion: 'hello world', score: f32(2 / Math.sqrt(7)) },
      { suggestion: 'hello werld', score: f32(1 / Math.sqrt(7)) },
    ]);
    const e2 = Math.exp(-2);
    assert.deepEqual(scored(resp, await client.ft.sugGetWithScores('ac', 'hello', { FUZZY: true })), [
      { suggestion: 'hello world', score: f32(2 / Math.sqrt(7)) },
      { suggestion: 'hello werld', score: f32(1 / Math.sqrt(7)) },
      { suggestion: 'yellow world', score: f32(f32(3 * e2) / Math.sqrt(8)) },
      { suggestion: 'hallo world', score: f32(f32(2 * e2) / Math.sqrt(7)) },
    ]);
    assert.equal(await client.ft.sugDel('ac', 'hello world'), 1);
    assert.equal(await client.ft.sugDel('ac', 'world'), 0);
    assert.deepEqual(await client.ft.sugGet('ac', 'hello'), ['hello werld']);
    assert.equal(await client.ft.sugLen('ac'), 6);
  });

  // test_suggest.py testSuggestPayload. node-redis sends no PAYLOAD for an
  // empty one (its `if (options?.PAYLOAD)`), which the module answers as
  // for an empty payload: no payload, a null.
  await check(`${tag} sugAdd PAYLOAD, sugGetWithPayloads, sugGetWithScoresWithPayloads`, async () => {
    assert.equal(await client.ft.sugAdd('pl', 'hello world', 1, { PAYLOAD: 'foo' }), 1);
    assert.equal(await client.ft.sugAdd('pl', 'hello werld', 1, { PAYLOAD: 'bar' }), 2);
    assert.equal(await client.ft.sugAdd('pl', 'hello nopayload', 1, { PAYLOAD: '' }), 3);
    assert.equal(await client.ft.sugAdd('pl', 'hello nopayload2', 1), 4);
    assert.deepEqual(await client.ft.sugGetWithPayloads('pl', 'hello'), [
      { suggestion: 'hello world', payload: 'foo' },
      { suggestion: 'hello werld', payload: 'bar' },
      { suggestion: 'hello nopayload', payload: null },
      { suggestion: 'hello nopayload2', payload: null },
    ]);
    // All four score 1/sqrt(1 + |runes - 5|): 11 runes and 11, 15, 16.
    assert.deepEqual(scored(resp, await client.ft.sugGetWithScoresWithPayloads('pl', 'hello')), [
      { suggestion: 'hello world', score: f32(1 / Math.sqrt(7)), payload: 'foo' },
      { suggestion: 'hello werld', score: f32(1 / Math.sqrt(7)), payload: 'bar' },
      { suggestion: 'hello nopayload', score: f32(1 / Math.sqrt(11)), payload: null },
      { suggestion: 'hello nopayload2', score: f32(1 / Math.sqrt(12)), payload: null },
    ]);
    // testIssue_490: INCR with a PAYLOAD replaces the payload.
    assert.equal(await client.ft.sugAdd('sug490', 'RediSearch', 1, { PAYLOAD: 'RediSearch, an awesome search engine' }), 1);
    assert.equal(await client.ft.sugAdd('sug490', 'RediSearch', 1, { INCR: true, PAYLOAD: 'RediSearch 2.0, next gen search engine' }), 1);
    assert.deepEqual(await client.ft.sugGetWithPayloads('sug490', 'Redis'),
      [{ suggestion: 'RediSearch', payload: 'RediSearch 2.0, next gen search engine' }]);
  });

  // test_suggest.py testSuggestMax: test<i> scores (i+1)/sqrt(2), printed
  // by the module as these doubles.
  await check(`${tag} sugGetWithScores MAX`, async () => {
    for (let i = 0; i < 10; i++) {
      assert.equal(await client.ft.sugAdd('max', `test${i}`, i + 1), i + 1);
    }
    const want = [
      ['test9', 7.0710678100585938], ['test8', 6.3639612197875977], ['test7', 5.6568541526794434],
      ['test6', 4.9497475624084473], ['test5', 4.242640495300293], ['test4', 3.5355339050292969],
      ['test3', 2.8284270763397217], ['test2', 2.1213202476501465], ['test1', 1.4142135381698608],
      ['test0', 0.70710676908493042],
    ];
    for (const n of [1, 3, 10]) {
      assert.deepEqual(scored(resp, await client.ft.sugGetWithScores('max', 'test', { MAX: n })),
        want.slice(0, n).map(([suggestion, score]) => ({ suggestion, score })));
    }
    // A missing key: no suggestions, length 0.
    assert.deepEqual(await client.ft.sugGet('nosuchkey', 'x'), []);
    assert.equal(await client.ft.sugLen('nosuchkey'), 0);
  });
}

async function spellCheck(client, resp, tag) {
  // test_spell_check.py testDictAdd, testDictDelete, testDictDump.
  await check(`${tag} dictAdd, dictDel, dictDump`, async () => {
    assert.equal(await client.ft.dictAdd('dict', ['term1', 'term2', 'term3']), 3);
    assert.equal(await client.ft.dictAdd('dict', ['term1', 'term2', 'term4']), 1);
    assert.deepEqual(await client.ft.dictDump('dict'), ['term1', 'term2', 'term3', 'term4']);
    assert.equal(await client.ft.dictDel('dict', ['term1', 'term2', 'term5']), 2);
    assert.equal(await client.ft.dictDel('dict', 'term3'), 1);
    assert.deepEqual(await client.ft.dictDump('dict'), ['term4']);
    assert.equal(await client.ft.dictDel('dict', 'term4'), 1);
    assert.deepEqual(await client.ft.dictDump('dict'), []);
    assert.deepEqual(await client.ft.dictDump('nodict'), []);
    // In rune order: upper case first.
    assert.equal(await client.ft.dictAdd('d2', ['b', 'B', 'a', 'ab']), 4);
    assert.deepEqual(await client.ft.dictDump('d2'), ['B', 'a', 'ab', 'b']);
  });

  // test_spell_check.py's three documents.
  await client.ft.create('sp', { name: SCHEMA_FIELD_TYPE.TEXT, body: SCHEMA_FIELD_TYPE.TEXT }, { ON: 'HASH', PREFIX: 'spdoc' });
  assert.equal(await client.hSet('spdoc1', { name: 'name1', body: 'body1' }), 2);
  assert.equal(await client.hSet('spdoc2', { name: 'name2', body: 'body2' }), 2);
  assert.equal(await client.hSet('spdoc3', { name: 'name2', body: 'name2' }), 2);
  // A suggestion's score is its document count over the index's: name2 in
  // 2 of 3 documents, name1 in 1; a dictionary word the index lacks, 0.
  const name2 = sug(2 / 3, 'name2');
  const name1 = sug(1 / 3, 'name1');

  await check(`${tag} spellCheck`, async () => {
    assert.deepEqual(spell(resp, await client.ft.spellCheck('sp', 'name')), [{ term: 'name', suggestions: [name2, name1] }]);
    // testBasicSpellCheckWithNoResult.
    assert.deepEqual(spell(resp, await client.ft.spellCheck('sp', 'somenotexiststext')),
      [{ term: 'somenotexiststext', suggestions: [] }]);
  });
  await check(`${tag} spellCheck TERMS INCLUDE`, async () => {
    // testSpellCheckWithIncludeDict, testSpellCheckWithDuplications.
    assert.equal(await client.ft.dictAdd('inc', ['name3', 'name4', 'name5']), 3);
    assert.deepEqual(spell(resp, await client.ft.spellCheck('sp', 'name', { TERMS: { mode: 'INCLUDE', dictionary: 'inc' } })),
      [{ term: 'name', suggestions: [name2, name1, sug(0, 'name3'), sug(0, 'name4'), sug(0, 'name5')] }]);
    assert.equal(await client.ft.dictAdd('dup', ['name1', 'name4', 'name5']), 3);
    assert.deepEqual(spell(resp, await client.ft.spellCheck('sp', 'name', { TERMS: [{ mode: 'INCLUDE', dictionary: 'dup' }] })),
      [{ term: 'name', suggestions: [name2, name1, sug(0, 'name4'), sug(0, 'name5')] }]);
  });
  await check(`${tag} spellCheck TERMS EXCLUDE`, async () => {
    // testSpellCheckExcludeDict: an excluded word is no misspelling.
    assert.equal(await client.ft.dictAdd('exc', 'name'), 1);
    assert.deepEqual(spell(resp, await client.ft.spellCheck('sp', 'name', { TERMS: { mode: 'EXCLUDE', dictionary: 'exc' } })), []);
  });
  await check(`${tag} spellCheck DISTANCE`, async () => {
    await client.ft.create('dist', { t: SCHEMA_FIELD_TYPE.TEXT }, { ON: 'HASH', PREFIX: 'dd' });
    assert.equal(await client.hSet('dd1', 't', 'hello help'), 1);
    assert.equal(await client.hSet('dd2', 't', 'hello'), 1);
    assert.equal(await client.hSet('dd3', 't', 'yellow'), 1);
    assert.equal(await client.hSet('dd4', 't', 'shell'), 1);
    // hellx: within 1 hello (2 of 4 documents); within 2 also help and
    // shell (1 each), in the term trie's order at equal scores; a
    // dictionary word the index holds keeps its count, one it lacks (hellz)
    // scores 0.
    assert.equal(await client.ft.dictAdd('dd', ['yellow', 'hellz']), 2);
    assert.deepEqual(spell(resp, await client.ft.spellCheck('dist', 'hellx')),
      [{ term: 'hellx', suggestions: [sug(0.5, 'hello')] }]);
    assert.deepEqual(spell(resp, await client.ft.spellCheck('dist', 'hellx', { DISTANCE: 2 })),
      [{ term: 'hellx', suggestions: [sug(0.5, 'hello'), sug(0.25, 'help'), sug(0.25, 'shell')] }]);
    assert.deepEqual(spell(resp, await client.ft.spellCheck('dist', 'yellx', { DISTANCE: 2, TERMS: { mode: 'INCLUDE', dictionary: 'dd' } })),
      [{ term: 'yellx', suggestions: [sug(0.5, 'hello'), sug(0.25, 'yellow'), sug(0, 'hellz')] }]);
  });
  await check(`${tag} spellCheck errors`, async () => {
    await assert.rejects(client.ft.spellCheck('sp', 'name', { TERMS: { mode: 'INCLUDE', dictionary: 'nodict' } }),
      { message: 'Dict does not exist: nodict' });
    await assert.rejects(client.ft.spellCheck('sp', 'name', { DISTANCE: 5 }),
      { message: 'bad distance given, distance must be a natural number between 1 to 4' });
  });
}

// waitIndexed polls FT.INFO until the index's background scan is over.
async function waitIndexed(client, idx) {
  for (let i = 0; i < 3000; i++) {
    const info = await client.ft.info(idx);
    if (Number(info.indexing) === 0) {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${idx} still indexing`);
}

async function synonyms(client, resp, tag) {
  await check(`${tag} synUpdate and a search through a synonym`, async () => {
    // test_synonyms.py testBasicSynonymsUseCase.
    await client.ft.create('syn', { title: SCHEMA_FIELD_TYPE.TEXT, body: SCHEMA_FIELD_TYPE.TEXT }, { ON: 'HASH', PREFIX: 'syn:' });
    assert.equal(await client.ft.synUpdate('syn', 'id1', ['boy', 'child']), 'OK');
    assert.equal(await client.hSet('syn:doc1', { title: 'he is a boy', body: 'this is a test' }), 2);
    const doc1 = { id: 'syn:doc1', fields: { title: 'he is a boy', body: 'this is a test' } };
    assert.deepEqual(docs(resp, await client.ft.search('syn', 'child', { EXPANDER: 'SYNONYM' })), { total: 1, docs: [doc1] });
    assert.deepEqual(docs(resp, await client.ft.search('syn', 'child')), { total: 1, docs: [doc1] });
    // Without expansion the group's term is not looked for.
    assert.deepEqual(docs(resp, await client.ft.search('syn', 'child', { VERBATIM: true })), { total: 0, docs: [] });
  });
  await check(`${tag} synUpdate SKIPINITIALSCAN`, async () => {
    // test_synonyms.py testSynonymUpdate: with SKIPINITIALSCAN only the
    // documents indexed after the update get the group's term; without it
    // the module re-indexes every document.
    await client.ft.create('synu', { title: SCHEMA_FIELD_TYPE.TEXT, body: SCHEMA_FIELD_TYPE.TEXT }, { ON: 'HASH', PREFIX: 'synu:' });
    assert.equal(await client.ft.synUpdate('synu', 'id1', ['boy', 'child', 'offspring']), 'OK');
    assert.equal(await client.hSet('synu:doc1', { title: 'he is a baby', body: 'this is a test' }), 2);
    assert.equal(await client.ft.synUpdate('synu', 'id1', 'baby', { SKIPINITIALSCAN: true }), 'OK');
    assert.equal(await client.hSet('synu:doc2', { title: 'he is another baby', body: 'another test' }), 2);
    assert.deepEqual(ids(resp, await client.ft.searchNoContent('synu', 'child', { EXPANDER: 'SYNONYM' })),
      { total: 1, ids: ['synu:doc2'] });
    assert.equal(await client.ft.synUpdate('synu', 'id1', 'baby'), 'OK');
    await waitIndexed(client, 'synu');
    const got = ids(resp, await client.ft.searchNoContent('synu', 'child'));
    assert.equal(got.total, 2);
    assert.deepEqual([...got.ids].sort(), ['synu:doc1', 'synu:doc2']);
  });
  await check(`${tag} synDump`, async () => {
    // test_synonyms.py testSynonymDump, in the module's order (its synonym
    // map is a dict hashed with SipHash-1-2 under an all-zero seed; the
    // order is worked out by hand in search_acceptance_synonyms_test.go).
    await client.ft.create('synd', { title: SCHEMA_FIELD_TYPE.TEXT, body: SCHEMA_FIELD_TYPE.TEXT }, { ON: 'HASH', PREFIX: 'synd:' });
    assert.deepEqual({ ...(await client.ft.synDump('synd')) }, {});
    assert.equal(await client.ft.synUpdate('synd', 'id1', ['boy', 'child', 'offspring']), 'OK');
    assert.equal(await client.ft.synUpdate('synd', 'id2', ['baby', 'child']), 'OK');
    assert.equal(await client.ft.synUpdate('synd', 'id3', ['tree', 'wood']), 'OK');
    const dump = await client.ft.synDump('synd');
    assert.deepEqual({ ...dump }, {
      baby: ['id2'], wood: ['id3'], boy: ['id1'], tree: ['id3'], child: ['id1', 'id2'], offspring: ['id1'],
    });
    assert.deepEqual(Object.keys(dump), ['baby', 'wood', 'boy', 'tree', 'child', 'offspring']);
  });
}

async function phonetic(client, resp, tag) {
  await check(`${tag} PHONETIC dm:en`, async () => {
    // test_phonetic.py testBasicPoneticCase: morfix and morphix both code
    // MRFK; testPoneticOnNonePhoneticField.
    await client.ft.create('ph', {
      text: { type: SCHEMA_FIELD_TYPE.TEXT, PHONETIC: SCHEMA_TEXT_FIELD_PHONETIC.DM_EN, SORTABLE: true },
      text1: { type: SCHEMA_FIELD_TYPE.TEXT, SORTABLE: true },
    }, { ON: 'HASH', PREFIX: 'ph:' });
    assert.equal(await client.hSet('ph:doc1', { text: 'morfix', text1: 'phonetic' }), 2);
    const doc1 = { total: 1, docs: [{ id: 'ph:doc1', fields: { text: 'morfix', text1: 'phonetic' } }] };
    const none = { total: 0, docs: [] };
    assert.deepEqual(docs(resp, await client.ft.search('ph', 'morphix')), doc1);
    assert.deepEqual(docs(resp, await client.ft.search('ph', '@text:morphix')), doc1);
    assert.deepEqual(docs(resp, await client.ft.search('ph', '@text:morphix=>{$phonetic:true}')), doc1);
    assert.deepEqual(docs(resp, await client.ft.search('ph', '@text:morphix=>{$phonetic:false}')), none);
    assert.deepEqual(docs(resp, await client.ft.search('ph', 'fonetic')), none);
    assert.deepEqual(docs(resp, await client.ft.search('ph', '@text1:morphix')), none);
    await assert.rejects(client.ft.search('ph', '@text1:morphix=>{$phonetic:true}'),
      { message: 'field does not support phonetics' });
  });
}

async function emptyMissing(client, resp, tag) {
  const errEmpty = 'Use `INDEXEMPTY` in field creation in order to index and query for empty strings';
  await check(`${tag} INDEXEMPTY TAG`, async () => {
    // test_empty.py testEmptyTag.
    await client.ft.create('et', {
      t: { type: SCHEMA_FIELD_TYPE.TAG, INDEXEMPTY: true },
      text: SCHEMA_FIELD_TYPE.TEXT,
    }, { ON: 'HASH', PREFIX: 'et:' });
    assert.equal(await client.hSet('et:h1', 't', ''), 1);
    const h1 = { total: 1, docs: [{ id: 'et:h1', fields: { t: '' } }] };
    assert.deepEqual(docs(resp, await client.ft.search('et', '@t:{""}', { DIALECT: 2 })), h1);
    assert.deepEqual(docs(resp, await client.ft.search('et', "@t:{''}", { DIALECT: 2 })), h1);
    assert.deepEqual(docs(resp, await client.ft.search('et', '-@t:{""}', { DIALECT: 2 })), { total: 0, docs: [] });
    assert.deepEqual(docs(resp, await client.ft.search('et', '-@t:{foo}', { DIALECT: 2 })), h1);
    // A value list with a trailing separator holds an empty value too.
    assert.equal(await client.hSet('et:h2', 't', 'bar,'), 1);
    assert.deepEqual(docs(resp, await client.ft.search('et', '@t:{""} @t:{bar}', { DIALECT: 2 })),
      { total: 1, docs: [{ id: 'et:h2', fields: { t: 'bar,' } }] });
    // TEXT without INDEXEMPTY (test_empty.py TestEmptyNonIndexed).
    await assert.rejects(client.ft.search('et', '@text:""', { DIALECT: 2 }), { message: errEmpty });
  });
  await check(`${tag} INDEXEMPTY TEXT`, async () => {
    // test_empty.py testEmptyText.
    await client.ft.create('ex', { t: { type: SCHEMA_FIELD_TYPE.TEXT, INDEXEMPTY: true } }, { ON: 'HASH', PREFIX: 'ex:' });
    assert.equal(await client.hSet('ex:h1', 't', ''), 1);
    const h1 = { total: 1, docs: [{ id: 'ex:h1', fields: { t: '' } }] };
    for (const q of ["@t:''", '@t:""', '-@t:foo']) {
      assert.deepEqual(docs(resp, await client.ft.search('ex', q, { DIALECT: 2 })), h1, q);
    }
    assert.deepEqual(docs(resp, await client.ft.search('ex', '-@t:""', { DIALECT: 2 })), { total: 0, docs: [] });
    assert.equal(await client.hSet('ex:h2', 't', 'bar'), 1);
    assert.deepEqual(docs(resp, await client.ft.search('ex', '@t:"" | @t:foo | @t:bar', { DIALECT: 2, SORTBY: { BY: 't', DIRECTION: 'ASC' } })), {
      total: 2, docs: [{ id: 'ex:h1', fields: { t: '' } }, { id: 'ex:h2', fields: { t: 'bar' } }],
    });
  });
  await check(`${tag} INDEXMISSING and ismissing`, async () => {
    // test_missing.py testMissingBasic.
    await client.ft.create('mi', {
      ta: { type: SCHEMA_FIELD_TYPE.TAG, INDEXMISSING: true },
      te: { type: SCHEMA_FIELD_TYPE.TEXT, INDEXMISSING: true },
    }, { ON: 'HASH', PREFIX: 'mi:' });
    assert.equal(await client.hSet('mi:all', { ta: 'foo', te: 'foo' }), 2);
    assert.equal(await client.hSet('mi:no_text', 'ta', 'foo'), 1);
    assert.equal(await client.hSet('mi:no_tag', 'te', 'foo'), 1);
    assert.equal(await client.hSet('mi:none', 'shwallalimbo', 'Shigoreski'), 1);
    const q = async (query, options) => ids(resp, await client.ft.searchNoContent('mi', query, { DIALECT: 2, ...options }));
    assert.deepEqual(await q('@ta:{foo} @te:foo'), { total: 1, ids: ['mi:all'] });
    assert.deepEqual(await q('ismissing(@ta)', { SORTBY: { BY: 'te', DIRECTION: 'ASC' } }), { total: 2, ids: ['mi:no_tag', 'mi:none'] });
    assert.deepEqual(await q('ismissing(@te)', { SORTBY: { BY: 'ta', DIRECTION: 'ASC' } }), { total: 2, ids: ['mi:no_text', 'mi:none'] });
    assert.deepEqual(await q('ismissing(@te) ismissing(@ta)'), { total: 1, ids: ['mi:none'] });
    // A field that holds an empty string is not missing.
    assert.equal(await client.hSet('mi:empty_tag', { ta: '', te: 'x' }), 2);
    assert.deepEqual(await q('ismissing(@ta)', { SORTBY: { BY: 'te', DIRECTION: 'ASC' } }), { total: 2, ids: ['mi:no_tag', 'mi:none'] });
    // A field without INDEXMISSING (test_missing.py testMissingValidations).
    await client.ft.create('nomi', { tag: SCHEMA_FIELD_TYPE.TAG }, { ON: 'HASH', PREFIX: 'nomi:' });
    await assert.rejects(client.ft.search('nomi', 'ismissing(@tag)', { DIALECT: 2 }),
      { message: "'ismissing' requires field 'tag' to be defined with 'INDEXMISSING'" });
  });
}

async function run(resp) {
  const client = await connect(resp);
  // node-redis 5.12.4 decodes a RESP3 double by adding up its digits times
  // 1e-1, 1e-2, … (RESP/decoder.js #decodeDoubleDecimal), which can miss the
  // printed double by a few units in the last place (",0.75592893362045288"
  // decodes to 0.7559289336204531, not 0.7559289336204529); the RESP3 flows
  // take doubles as their text, through node-redis' type mapping, and parse
  // them with Number.
  const c = resp === 3 ? client.withTypeMapping({ [RESP_TYPES.DOUBLE]: String }) : client;
  try {
    await client.flushAll();
    const tag = `RESP${resp}`;
    await suggestions(c, resp, tag);
    await spellCheck(c, resp, tag);
    await synonyms(c, resp, tag);
    await phonetic(c, resp, tag);
    await emptyMissing(c, resp, tag);
  } finally {
    await client.close();
  }
}

main(run);
