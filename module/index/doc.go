// Package index is the search engine as a library: what the search module
// answers queries with, apart from the Redis commands that reach it.
//
// It owns the index spec and schema (Spec, Field), the document table,
// the postings and term dictionary, the numeric, tag and geo structures (and
// the module's numeric range tree, which decides how a range is read), the
// iterators and the scorers, and executing a parsed query (module/query)
// into scored hits: Index.Plan, then Query.Search (FT.SEARCH's ranked page),
// Query.MatchAll (FT.AGGREGATE's matches) or Index.DocMatches (what
// HIGHLIGHT and SUMMARIZE mark). FT.PROFILE's iterator profile (Profile)
// and FT.INFO's figures (Index.Stats) come from here too.
//
// Documents come in through the Document interface: values found by path,
// typed (a hash's values are all text; JSON documents will bring numbers,
// booleans and arrays). The engine never reads a keyspace: the caller
// passes it what to index (Index.Add, Index.Remove, Index.Rename) and loads
// what a reply shows.
//
// Locking is part of the API. An Index has one read/write lock: writers
// call Lock/Unlock around Add, Remove, Rename and FieldsAdded; readers hold
// RLock for as long as they use a Query and what it returned, except the
// Docs of hits, which never change once indexed. Writes counts the write
// locks taken: a reader that let go of its lock to yield, and took it
// again, plans its query again when Writes moved. A server with a
// main-thread lock takes that lock first and the index's inside it, and
// never waits for the main thread while holding an index lock.
//
// It may import module/query, module/text, module/expr and internal/strtod,
// never server or resp (TestEngineImportsNoServer keeps it so).
package index
