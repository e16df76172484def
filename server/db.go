package server

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/btree"
)

// ValueType is the type of a key's value.
type ValueType uint8

// The value types this server stores.
const (
	TypeNone ValueType = iota
	TypeString
	TypeHash
	// TypeModule is a module data type's value (see DataType); TYPE shows
	// the type's own name.
	TypeModule
	// TypeList is a list (see list.go).
	TypeList
	// TypeSet is a set (see set.go).
	TypeSet
	// TypeStream is a stream (see stream.go).
	TypeStream
	// TypeZset is a sorted set (see zset.go).
	TypeZset
)

// Name is what TYPE answers.
func (t ValueType) Name() string {
	switch t {
	case TypeString:
		return "string"
	case TypeHash:
		return "hash"
	case TypeModule:
		return "module"
	case TypeList:
		return "list"
	case TypeSet:
		return "set"
	case TypeStream:
		return "stream"
	case TypeZset:
		return "zset"
	}
	return "none"
}

// strEncoding is how OBJECT ENCODING reports a string.
type strEncoding uint8

const (
	encAuto  strEncoding = iota // int, embstr or raw by the value, as tryObjectEncoding does
	encRaw                      // modified in place (APPEND, SETRANGE)
	encNoInt                    // created from a number formatted as text (INCRBYFLOAT)
)

// Entry is a key's value and metadata.
type Entry struct {
	typ      ValueType
	enc      strEncoding
	hashBig  bool       // a hash that exceeded the listpack limits once ("hashtable")
	hashEx   bool       // a small hash that took field TTLs once ("listpackex", hash_ttl.go)
	str      string     // a string's value; a hash's packed form (see Hash)
	slots    *hashSlots // a hash's slice form (see Hash)
	expireAt int64      // unix ms, 0 = no expiry
	access   int64      // unix ms of the last access (OBJECT IDLETIME)
	// appended holds str with room to grow once APPEND has run, so that
	// repeated APPENDs cost amortized O(1) like Redis' sds, not a copy each.
	appended *strings.Builder
	// mod is a module key's type and value (TypeModule), a list's elements
	// (TypeList: mod.list) or a set's value (TypeSet: mod.v), sharing one
	// pointer so that an entry stays within 64 bytes (TestHashEntrySize).
	mod *moduleValue
}

// list is a list's elements (TypeList).
func (e *Entry) list() *listValue { return e.mod.list }

// set is a set's value (TypeSet).
func (e *Entry) set() *setValue { return e.mod.v.(*setValue) }

// stream is a stream's value (TypeStream: mod.v, as a set).
func (e *Entry) stream() *streamValue { return e.mod.v.(*streamValue) }

// newStreamEntry makes a stream value.
func newStreamEntry(sv *streamValue) *Entry {
	return &Entry{typ: TypeStream, mod: &moduleValue{v: sv}}
}

// newSetEntry makes a set value.
func newSetEntry(sv *setValue) *Entry {
	return &Entry{typ: TypeSet, mod: &moduleValue{v: sv}}
}

// zset is a sorted set's value (TypeZset).
func (e *Entry) zset() *ZSet { return e.mod.v.(*ZSet) }

// newZsetEntry makes a sorted set value.
func newZsetEntry(z *ZSet) *Entry {
	return &Entry{typ: TypeZset, mod: &moduleValue{v: z}}
}

// Type is the value's type.
func (e *Entry) Type() ValueType { return e.typ }

// Str is a string value.
func (e *Entry) Str() string { return e.str }

// Hash is a hash value.
func (e *Entry) Hash() *Hash {
	if e.typ != TypeHash {
		return nil
	}
	return (*Hash)(e)
}

// ExpireAt is the expiry time in unix milliseconds, 0 if none.
func (e *Entry) ExpireAt() int64 { return e.expireAt }

func (e *Entry) encoding() string {
	switch e.typ {
	case TypeHash:
		if e.hashBig {
			return "hashtable"
		}
		if e.hashEx {
			return "listpackex"
		}
		return "listpack"
	case TypeString:
		if e.enc == encRaw {
			return "raw"
		}
		if e.enc == encAuto && len(e.str) <= 20 {
			if _, ok := resp.ParseIntString(e.str); ok {
				return "int"
			}
		}
		if len(e.str) <= 44 {
			return "embstr"
		}
		return "raw"
	case TypeSet:
		return e.set().encoding()
	case TypeStream:
		return "stream"
	case TypeZset:
		return e.zset().encoding()
	case TypeModule:
		// A module object is created with OBJ_ENCODING_RAW.
		return "raw"
	case TypeList:
		// Redis 7.0 makes every list a quicklist (7.2 starts small lists
		// as a listpack).
		return "quicklist"
	}
	return ""
}

// scanItem orders the keys of a DB for SCAN, KEYS and RANDOMKEY: by a hash of
// the key, which looks random like Redis' order yet lets a cursor (the hash
// to resume from) survive inserts and deletes.
type scanItem struct {
	h   uint64
	key string
}

func scanLess(a, b scanItem) bool {
	if a.h != b.h {
		return a.h < b.h
	}
	return a.key < b.key
}

func keyHash(key string) uint64 {
	// FNV-1a, then a finalizer so that similar keys spread.
	h := uint64(14695981039346656037)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	// 53 bits: SCAN cursors stay exact in clients that hold them in a
	// double (JavaScript) or a signed 64-bit integer.
	return h & (1<<53 - 1)
}

// DB is one of the numbered databases. Every method must be called with the
// main-thread lock held.
type DB struct {
	id      int
	srv     *Server
	keys    map[string]*Entry
	expires map[string]*Entry
	order   *btree.BTreeG[scanItem]
	// hfe names the hashes that carry field TTLs (hash_ttl.go), for active
	// expiry; a name whose hash has none left is dropped when visited.
	hfe map[string]struct{}
}

func newDB(s *Server, id int) *DB {
	return &DB{
		id:      id,
		srv:     s,
		keys:    map[string]*Entry{},
		expires: map[string]*Entry{},
		order:   btree.NewBTreeGOptions(scanLess, btree.Options{NoLocks: true}),
		hfe:     map[string]struct{}{},
	}
}

// ID is the database number.
func (db *DB) ID() int { return db.id }

// Size is the number of keys, including expired ones not yet removed (as
// DBSIZE counts).
func (db *DB) Size() int { return len(db.keys) }

// ExpiresCount is the number of keys with an expiry.
func (db *DB) ExpiresCount() int { return len(db.expires) }

func nowMs() int64 { return time.Now().UnixMilli() }

// expireIfNeeded deletes the key if its time has passed and reports whether
// it did.
func (db *DB) expireIfNeeded(key string, e *Entry, now int64) bool {
	if e.expireAt == 0 || e.expireAt > now {
		return false
	}
	db.remove(key)
	db.srv.stats.expiredKeys.Inc()
	db.srv.notifyKey(db.id, key, "expired", EventExpired)
	return true
}

// Lookup returns a live key's entry (expiring it first if its time has
// passed) without touching its access time.
func (db *DB) Lookup(key string) *Entry {
	e := db.keys[key]
	if e == nil {
		return nil
	}
	if e.expireAt != 0 && db.expireIfNeeded(key, e, nowMs()) {
		return nil
	}
	return e
}

// Peek returns a live key's entry without expiring it (an expired key reads
// as missing): what a keyspace hook or a background job may call without
// causing keyspace events of its own.
func (db *DB) Peek(key string) *Entry {
	e := db.keys[key]
	if e == nil || (e.expireAt != 0 && e.expireAt <= nowMs()) {
		return nil
	}
	return e
}

// lookupReadNoTouch is Redis' lookupKeyReadWithFlags(LOOKUP_NOTOUCH), what
// EXISTS, TYPE, TTL, OBJECT and SCAN's TYPE filter use: it expires the key
// if its time has passed and counts a hit or a miss, but leaves the access
// time alone.
func (db *DB) lookupReadNoTouch(c *Ctx, key []byte) *Entry {
	e := db.keys[string(key)]
	if e != nil && e.expireAt != 0 && db.expireIfNeeded(string(key), e, c.now) {
		e = nil
	}
	if e == nil {
		db.srv.stats.keyspaceMisses.Inc()
		if db.srv.notifyFlags&notifyKeyMiss != 0 {
			db.srv.keyspaceNotify(db.id, string(key), "keymiss", notifyKeyMiss)
		}
		return nil
	}
	db.srv.stats.keyspaceHits.Inc()
	return e
}

// lookupRead is Lookup for a command that reads the key: it counts hits and
// misses and updates the access time (unless the client is in NO-TOUCH).
func (db *DB) lookupRead(c *Ctx, key []byte) *Entry {
	e := db.lookupReadNoTouch(c, key)
	if e != nil && (c.Client == nil || !c.Client.noTouch) {
		e.access = c.now
	}
	return e
}

// lookupWrite is Lookup for a command that writes the key.
func (db *DB) lookupWrite(c *Ctx, key []byte) *Entry {
	e := db.keys[string(key)]
	if e != nil && e.expireAt != 0 && db.expireIfNeeded(string(key), e, c.now) {
		return nil
	}
	if e != nil {
		e.access = c.now
	}
	return e
}

// add stores a new entry under a key that must not exist.
func (db *DB) add(key string, e *Entry) {
	if e.access == 0 {
		e.access = nowMs()
	}
	db.keys[key] = e
	db.order.Set(scanItem{h: keyHash(key), key: key})
	if e.typ == TypeList || e.typ == TypeZset {
		db.srv.signalListReady(db.id, key)
	}
	if e.expireAt != 0 {
		db.expires[key] = e
	}
	db.noteFieldTTLs(key, e)
	if db.srv.notifyFlags&notifyNew != 0 {
		db.srv.keyspaceNotify(db.id, key, "new", notifyNew)
	}
}

// replace stores e under key, replacing a value if there is one; keepTTL
// keeps the old expiry.
func (db *DB) replace(key string, e *Entry, keepTTL bool) {
	old := db.keys[key]
	if old == nil {
		db.add(key, e)
		return
	}
	if keepTTL {
		e.expireAt = old.expireAt
	}
	e.access = old.access
	db.keys[key] = e
	if e.typ == TypeList || e.typ == TypeZset {
		db.srv.signalListReady(db.id, key)
	}
	if e.expireAt != 0 {
		db.expires[key] = e
	} else {
		delete(db.expires, key)
	}
	db.noteFieldTTLs(key, e)
}

// remove deletes a key, reporting whether it existed. It fires no event.
func (db *DB) remove(key string) bool {
	if _, ok := db.keys[key]; !ok {
		return false
	}
	delete(db.keys, key)
	delete(db.expires, key)
	db.order.Delete(scanItem{h: keyHash(key), key: key})
	return true
}

// setExpire sets (ms > 0) or clears (ms == 0) a key's expiry.
func (db *DB) setExpire(key string, e *Entry, ms int64) {
	e.expireAt = ms
	if ms != 0 {
		db.expires[key] = e
	} else {
		delete(db.expires, key)
	}
}

// flush empties the database.
func (db *DB) flush() {
	db.keys = map[string]*Entry{}
	db.expires = map[string]*Entry{}
	db.order = btree.NewBTreeGOptions(scanLess, btree.Options{NoLocks: true})
	db.hfe = map[string]struct{}{}
}

// Scan visits up to count keys from cursor on (in scan order) and returns
// the cursor to continue from, 0 once the end is reached. As SCAN promises,
// a key present from the first call to the last is visited at least once,
// whatever is added or deleted in between: a module's background job can
// release the main-thread lock between calls. Expired keys are not skipped.
func (db *DB) Scan(cursor uint64, count int, fn func(key string)) uint64 {
	next := uint64(0)
	seen := 0
	db.order.Ascend(scanItem{h: cursor}, func(it scanItem) bool {
		if seen >= count {
			next = it.h
			return false
		}
		seen++
		fn(it.key)
		return true
	})
	return next
}

// randomKey returns a random key ("" when empty).
func (db *DB) randomKey() string {
	n := db.order.Len()
	if n == 0 {
		return ""
	}
	it, _ := db.order.GetAt(rand.IntN(n))
	return it.key
}

// Keys calls fn for each key in scan order until it returns false.
func (db *DB) Keys(fn func(key string, e *Entry) bool) {
	db.order.Scan(func(it scanItem) bool {
		return fn(it.key, db.keys[it.key])
	})
}

// activeExpireCycle removes expired keys by sampling, as Redis' active expiry
// does: batches of 20 keys with an expiry, again while more than a quarter
// of a batch had expired, for at most budget.
func (db *DB) activeExpireCycle(budget time.Duration) {
	if len(db.expires) == 0 {
		return
	}
	start := time.Now()
	now := start.UnixMilli()
	for {
		sampled, expired := 0, 0
		// Go's map iteration starts at a random place: a fair sample.
		var victims []string
		for key, e := range db.expires {
			sampled++
			if e.expireAt <= now {
				victims = append(victims, key)
			}
			if sampled >= 20 {
				break
			}
		}
		for _, key := range victims {
			if e := db.keys[key]; e != nil && db.expireIfNeeded(key, e, now) {
				expired++
			}
		}
		if sampled == 0 || expired*4 <= sampled || time.Since(start) > budget {
			return
		}
	}
}

// newStringEntry makes a string value; enc says how OBJECT ENCODING reports
// it (encAuto: by the value, as SET's tryObjectEncoding does).
func newStringEntry(v string, enc strEncoding) *Entry {
	return &Entry{typ: TypeString, str: v, enc: enc}
}

// newHashEntry makes an empty hash value.
func newHashEntry() *Entry { return &Entry{typ: TypeHash} }

// SetString sets a string key as SET does (dropping any TTL) and fires the
// "set" event. For modules and tests; the caller holds the main-thread lock.
func (db *DB) SetString(key, value string) {
	db.replace(key, newStringEntry(value, encAuto), false)
	db.srv.notifyKey(db.id, key, "set", EventString)
}

// Delete deletes a key as DEL does and fires the "del" event; it reports
// whether the key existed. The caller holds the main-thread lock.
func (db *DB) Delete(key string) bool {
	if db.Lookup(key) == nil {
		return false
	}
	db.remove(key)
	db.srv.notifyKey(db.id, key, "del", EventGeneric)
	return true
}

// lookupTyped returns a key's entry for a command that works on values of
// type typ, reading (lookupRead) or writing (lookupWrite) it: nil if the key
// is missing, and ok false, with WRONGTYPE replied, if it holds another type.
func lookupTyped(c *Ctx, key []byte, typ ValueType, write bool) (e *Entry, ok bool) {
	if write {
		e = c.DB().lookupWrite(c, key)
	} else {
		e = c.DB().lookupRead(c, key)
	}
	if e != nil && e.typ != typ {
		c.W.Error(ErrWrongType)
		return nil, false
	}
	return e, true
}
