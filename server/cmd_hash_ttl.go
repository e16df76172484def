package server

import (
	"fmt"
	"strings"

	"github.com/miniredis-search/miniredis-search/resp"
)

// The hash field expiration commands of Redis 8.2 (t_hash.c): HEXPIRE,
// HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME,
// HPERSIST, HGETDEL, HGETEX and HSETEX. The TTLs themselves are in
// hash_ttl.go. Argument checks come in Redis' order: the key's type first
// (except HSETEX, which parses first), then the arguments left to right.

// Error replies only these commands give.
const (
	errHFEFields       = "ERR Mandatory argument FIELDS is missing or not at the right position"
	errHFENumFieldsGT0 = "ERR Parameter `numFields` should be greater than 0"
	errHFENumFieldsPos = "ERR Number of fields must be a positive integer"
	errHFENumMismatch  = "ERR The `numfields` parameter must match the number of arguments"
	errHFENegative     = "ERR invalid expire time, must be >= 0"
	errHFEExpireFmt    = "ERR invalid expire time in '%s' command"
)

// The per-field replies of HEXPIRE and friends.
const (
	hfeNoField  = -2 // no such field (or no such key)
	hfeNoCond   = 0  // NX | XX | GT | LT not met
	hfeSet      = 1  // expiry set
	hfeDeleted  = 2  // the time was in the past: the field is deleted
	hfeNoTTL    = -1 // HTTL / HPERSIST: the field has no expiry
	hfePersists = 1  // HPERSIST: expiry removed
)

// The conditions of HEXPIRE.
const (
	hfeCondNone = iota
	hfeCondNX
	hfeCondXX
	hfeCondGT
	hfeCondLT
)

func hashTTLCommands(s *Server) commandGroup {
	return commandGroup{
		{"hexpire", s.cmdHexpire, 0},
		{"hpexpire", s.cmdHexpire, 0},
		{"hexpireat", s.cmdHexpire, 0},
		{"hpexpireat", s.cmdHexpire, 0},
		{"httl", s.cmdHttl, 0},
		{"hpttl", s.cmdHttl, 0},
		{"hexpiretime", s.cmdHttl, 0},
		{"hpexpiretime", s.cmdHttl, 0},
		{"hpersist", s.cmdHpersist, 0},
		{"hgetdel", s.cmdHgetdel, 0},
		{"hgetex", s.cmdHgetex, 0},
		{"hsetex", s.cmdHsetex, 0},
	}
}

// parseHFETime is parseExpireTime: a non-negative integer in seconds or
// milliseconds, plus base (now for a relative time), within
// HFE_MAX_ABS_TIME_MSEC. It returns unix ms or an error reply.
func parseHFETime(arg []byte, seconds bool, base int64, cmd string) (int64, string) {
	v, ok := resp.ParseInt(arg)
	if !ok {
		return 0, ErrNotInteger
	}
	if v < 0 {
		return 0, errHFENegative
	}
	if seconds {
		if v > hfeMaxMs/1000 {
			return 0, fmt.Sprintf(errHFEExpireFmt, cmd)
		}
		v *= 1000
	}
	if v > hfeMaxMs-base {
		return 0, fmt.Sprintf(errHFEExpireFmt, cmd)
	}
	return v + base, ""
}

// parseHFEFields reads "FIELDS numfields field..." with numfields at
// args[at]: the fields or an error reply (numErr for a bad count).
func parseHFEFields(args [][]byte, at int, numErr string, cmd string) ([][]byte, string) {
	if at >= len(args) {
		return nil, fmt.Sprintf(ErrWrongArgsFmt, cmd)
	}
	if !strings.EqualFold(string(args[at-1]), "FIELDS") {
		return nil, errHFEFields
	}
	n, ok := resp.ParseInt(args[at])
	if !ok || n < 1 {
		return nil, numErr
	}
	if n != int64(len(args)-at-1) {
		return nil, errHFENumMismatch
	}
	return args[at+1:], ""
}

// hexpireArgs is what HEXPIRE and friends ask for.
type hexpireArgs struct {
	at     int64 // unix ms
	cond   int
	fields [][]byte
}

// parseHexpire parses "key time [NX|XX|GT|LT] FIELDS numfields field...".
func parseHexpire(args [][]byte, cmd string, now int64) (hexpireArgs, string) {
	var a hexpireArgs
	seconds := cmd == "hexpire" || cmd == "hexpireat"
	base := int64(0)
	if cmd == "hexpire" || cmd == "hpexpire" {
		base = now
	}
	var msg string
	if a.at, msg = parseHFETime(args[2], seconds, base, cmd); msg != "" {
		return a, msg
	}
	at := 4
	switch strings.ToLower(string(args[3])) {
	case "nx":
		a.cond = hfeCondNX
	case "xx":
		a.cond = hfeCondXX
	case "gt":
		a.cond = hfeCondGT
	case "lt":
		a.cond = hfeCondLT
	}
	if a.cond != hfeCondNone {
		at++
	}
	a.fields, msg = parseHFEFields(args, at, errHFENumFieldsGT0, cmd)
	return a, msg
}

// setFieldExpiry is hashTypeSetEx for one field of an existing hash: one
// of the per-field replies. A time not after now deletes the field.
func (db *DB) setFieldExpiry(key string, e *Entry, field string, at int64, cond int, now int64) int {
	h := e.Hash()
	if !h.Has(field) {
		return hfeNoField
	}
	prev := e.fieldTTL(field)
	if prev == 0 {
		// A field without expiry: LT holds (no TTL is forever).
		if cond == hfeCondXX || cond == hfeCondGT {
			return hfeNoCond
		}
	} else if (cond == hfeCondGT && prev >= at) || (cond == hfeCondLT && prev <= at) || cond == hfeCondNX {
		return hfeNoCond
	}
	if at <= now {
		h.Delete(field)
		return hfeDeleted
	}
	db.setFieldTTL(key, e, field, at)
	return hfeSet
}

// HEXPIRE / HPEXPIRE / HEXPIREAT / HPEXPIREAT key time [NX|XX|GT|LT]
// FIELDS numfields field...: a reply per field (-2, 0, 1 or 2); event
// "hexpire", or "hdel" if any field was deleted, then "del" if the hash
// is left empty.
func (s *Server) cmdHexpire(c *Ctx, args [][]byte) {
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	a, msg := parseHexpire(args, c.Cmd.Name, c.now)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	c.W.Array(len(a.fields))
	if e == nil {
		for range a.fields {
			c.W.Int(hfeNoField)
		}
		return
	}
	// hashTypeSetExInit turns a listpack into a listpackex, whatever the
	// fields' outcome.
	e.hashEx = true
	key := string(args[1])
	updated, deleted := 0, 0
	for _, f := range a.fields {
		r := c.DB().setFieldExpiry(key, e, string(f), a.at, a.cond, c.now)
		switch r {
		case hfeSet:
			updated++
		case hfeDeleted:
			deleted++
		}
		c.W.Int(int64(r))
	}
	if updated+deleted > 0 {
		ev := "hexpire"
		if deleted > 0 {
			ev = "hdel"
		}
		s.notifyKey(c.Client.db, key, ev, EventHash)
	}
	s.hashDeleteIfEmpty(c, key, e)
}

// hashDeleteIfEmpty deletes a hash left with no field ("del").
func (s *Server) hashDeleteIfEmpty(c *Ctx, key string, e *Entry) {
	if e.Hash().Len() == 0 {
		c.DB().remove(key)
		s.notifyKey(c.Client.db, key, "del", EventGeneric)
	}
}

// HTTL / HPTTL / HEXPIRETIME / HPEXPIRETIME key FIELDS numfields field...:
// per field -2 (no field), -1 (no expiry) or the time left (seconds
// rounded up) or the unix time.
func (s *Server) cmdHttl(c *Ctx, args [][]byte) {
	e, ok := hashLookupRead(c, args[1])
	if !ok {
		return
	}
	fields, msg := parseHFEFields(args, 3, errHFENumFieldsPos, c.Cmd.Name)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	name := c.Cmd.Name
	base := int64(0)
	if name == "httl" || name == "hpttl" {
		base = c.now
	}
	seconds := name == "httl" || name == "hexpiretime"
	c.W.Array(len(fields))
	for _, f := range fields {
		switch {
		case e == nil || !e.Hash().Has(string(f)):
			c.W.Int(hfeNoField)
		case e.fieldTTL(string(f)) == 0:
			c.W.Int(hfeNoTTL)
		default:
			at := e.fieldTTL(string(f))
			if seconds {
				c.W.Int((at + 999 - base) / 1000)
			} else {
				c.W.Int(at - base)
			}
		}
	}
}

// HPERSIST key FIELDS numfields field...: per field -2, -1 or 1; event
// "hpersist" if any expiry was removed.
func (s *Server) cmdHpersist(c *Ctx, args [][]byte) {
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	fields, msg := parseHFEFields(args, 3, errHFENumFieldsPos, c.Cmd.Name)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	c.W.Array(len(fields))
	changed := false
	for _, f := range fields {
		switch {
		case e == nil || !e.Hash().Has(string(f)):
			c.W.Int(hfeNoField)
		case !e.dropFieldTTL(string(f)):
			c.W.Int(hfeNoTTL)
		default:
			changed = true
			c.W.Int(hfePersists)
		}
	}
	if changed {
		s.notifyKey(c.Client.db, string(args[1]), "hpersist", EventHash)
	}
}

// HGETDEL key FIELDS numfields field...: the values (null for a missing
// field), the fields deleted; event "hdel", then "del" if the hash is
// left empty.
func (s *Server) cmdHgetdel(c *Ctx, args [][]byte) {
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	fields, msg := parseHFEFields(args, 3, errHFENumFieldsPos, c.Cmd.Name)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	c.W.Array(len(fields))
	deleted := 0
	for _, f := range fields {
		if e == nil {
			c.W.Null()
			continue
		}
		v, found := e.Hash().Get(string(f))
		if !found {
			c.W.Null()
			continue
		}
		c.W.BulkString(v)
		e.Hash().Delete(string(f))
		deleted++
	}
	if deleted > 0 {
		key := string(args[1])
		s.notifyKey(c.Client.db, key, "hdel", EventHash)
		s.hashDeleteIfEmpty(c, key, e)
	}
}

// hgetexArgs is what HGETEX asks for: persist, or an expiry (at > 0), or
// neither.
type hgetexArgs struct {
	persist bool
	setTTL  bool
	at      int64
	fields  [][]byte
}

// parseHgetex parses "key [EX s|PX ms|EXAT t|PXAT t|PERSIST] FIELDS
// numfields field...".
func parseHgetex(args [][]byte, now int64) (hgetexArgs, string) {
	var a hgetexArgs
	pos := 3
	var msg string
	switch opt := strings.ToLower(string(args[2])); opt {
	case "ex", "px", "exat", "pxat":
		pos += 2
		base := int64(0)
		if opt == "ex" || opt == "px" {
			base = now
		}
		a.setTTL = true
		if a.at, msg = parseHFETime(args[3], opt == "ex" || opt == "exat", base, "hgetex"); msg != "" {
			return a, msg
		}
	case "persist":
		pos++
		a.persist = true
	}
	a.fields, msg = parseHFEFields(args, pos, errHFENumFieldsPos, "hgetex")
	return a, msg
}

// HGETEX key [EX|PX|EXAT|PXAT time | PERSIST] FIELDS numfields field...:
// the values, and the expiry of the fields found set or removed; event
// "hpersist" or "hexpire", or "hdel" if a time in the past deleted fields,
// then "del" if the hash is left empty.
func (s *Server) cmdHgetex(c *Ctx, args [][]byte) {
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	a, msg := parseHgetex(args, c.now)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	c.W.Array(len(a.fields))
	if e == nil {
		for range a.fields {
			c.W.Null()
		}
		return
	}
	if a.persist || a.setTTL {
		e.hashEx = true // hashTypeSetExInit
	}
	key := string(args[1])
	updated, deleted := 0, 0
	for _, f := range a.fields {
		field := string(f)
		v, found := e.Hash().Get(field)
		if !found {
			c.W.Null()
			continue
		}
		c.W.BulkString(v)
		switch {
		case a.persist:
			if e.dropFieldTTL(field) {
				updated++
			}
		case a.setTTL:
			switch c.DB().setFieldExpiry(key, e, field, a.at, hfeCondNone, c.now) {
			case hfeSet:
				updated++
			case hfeDeleted:
				deleted++
			}
		}
	}
	switch {
	case updated > 0 && a.persist:
		s.notifyKey(c.Client.db, key, "hpersist", EventHash)
	case updated > 0:
		s.notifyKey(c.Client.db, key, "hexpire", EventHash)
	case deleted > 0:
		s.notifyKey(c.Client.db, key, "hdel", EventHash)
	}
	s.hashDeleteIfEmpty(c, key, e)
}

// The options of HSETEX.
const (
	hsetexFNX = 1 << iota
	hsetexFXX
	hsetexTTL     // EX, PX, EXAT or PXAT
	hsetexKeepTTL // KEEPTTL
)

// hsetexArgs is what HSETEX asks for.
type hsetexArgs struct {
	flags int
	at    int64
	pairs [][]byte // field, value, ...
}

// parseHsetex parses "key [FNX|FXX] [EX|PX|EXAT|PXAT time|KEEPTTL] FIELDS
// numfields field value ...", as hsetexParseArgs does (options in any
// order before FIELDS).
func parseHsetex(args [][]byte, now int64) (hsetexArgs, string) {
	var a hsetexArgs
	arity := fmt.Sprintf(ErrWrongArgsFmt, "hsetex")
	for i := 2; i < len(args); i++ {
		switch opt := strings.ToLower(string(args[i])); opt {
		case "fields":
			if i >= len(args)-3 {
				return a, arity
			}
			n, ok := resp.ParseInt(args[i+1])
			if !ok || n < 1 || n > 1<<31-1 {
				return a, "ERR invalid number of fields"
			}
			rest := len(args) - i - 2
			if rest%2 != 0 || n != int64(rest/2) {
				return a, arity
			}
			a.pairs = args[i+2:]
			return a, ""
		case "ex", "px", "exat", "pxat":
			if a.flags&(hsetexTTL|hsetexKeepTTL) != 0 {
				return a, "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"
			}
			if i >= len(args)-1 {
				return a, "ERR missing expire time"
			}
			a.flags |= hsetexTTL
			i++
			base := int64(0)
			if opt == "ex" || opt == "px" {
				base = now
			}
			var msg string
			if a.at, msg = parseHFETime(args[i], opt == "ex" || opt == "exat", base, "hsetex"); msg != "" {
				return a, msg
			}
		case "keepttl":
			if a.flags&(hsetexTTL|hsetexKeepTTL) != 0 {
				return a, "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified"
			}
			a.flags |= hsetexKeepTTL
		case "fxx", "fnx":
			if a.flags&(hsetexFNX|hsetexFXX) != 0 {
				return a, "ERR Only one of FXX or FNX arguments can be specified"
			}
			if opt == "fxx" {
				a.flags |= hsetexFXX
			} else {
				a.flags |= hsetexFNX
			}
		default:
			return a, "ERR unknown argument: " + string(args[i])
		}
	}
	// No FIELDS (Redis 8.2 asserts here; we answer the arity error).
	return a, arity
}

// HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT time|KEEPTTL] FIELDS numfields
// field value ...: 1 if the fields were set, 0 if FNX/FXX did not hold.
// A set field loses its expiry unless KEEPTTL or a new one is given.
// Events "hset", then "hexpire" (or "hdel" for a time in the past), then
// "del" if the hash is left empty.
func (s *Server) cmdHsetex(c *Ctx, args [][]byte) {
	a, msg := parseHsetex(args, c.now)
	if msg != "" {
		c.W.Error(msg)
		return
	}
	e, ok := hashLookupWrite(c, args[1])
	if !ok {
		return
	}
	key := string(args[1])
	if e == nil {
		if a.flags&hsetexFXX != 0 {
			c.W.Int(0)
			return
		}
		e, key = hashCreate(c, args[1])
	}
	if a.flags&(hsetexFNX|hsetexFXX) != 0 {
		found := 0
		for i := 0; i < len(a.pairs); i += 2 {
			if e.Hash().Has(string(a.pairs[i])) {
				found++
			}
		}
		if (a.flags&hsetexFNX != 0 && found > 0) || (a.flags&hsetexFXX != 0 && found != len(a.pairs)/2) {
			c.W.Int(0)
			s.hashDeleteIfEmpty(c, key, e)
			return
		}
	}
	if a.flags&hsetexTTL != 0 {
		e.hashEx = true // hashTypeSetExInit
	}
	updated, deleted := 0, 0
	for i := 0; i < len(a.pairs); i += 2 {
		field := string(a.pairs[i])
		s.hashSet(c, args[1], e, field, string(a.pairs[i+1]))
		if a.flags&(hsetexTTL|hsetexKeepTTL) == 0 {
			e.dropFieldTTL(field)
		}
		if a.flags&hsetexTTL != 0 {
			switch c.DB().setFieldExpiry(key, e, field, a.at, hfeCondNone, c.now) {
			case hfeSet:
				updated++
			case hfeDeleted:
				deleted++
			}
		}
	}
	c.W.Int(1)
	s.notifyKey(c.Client.db, key, "hset", EventHash)
	if deleted > 0 {
		s.notifyKey(c.Client.db, key, "hdel", EventHash)
	} else if updated > 0 {
		s.notifyKey(c.Client.db, key, "hexpire", EventHash)
	}
	s.hashDeleteIfEmpty(c, key, e)
}
