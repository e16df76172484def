package server

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/resp"
)

// Errors of the keyspace commands, worded as Redis 7.0 words them.
const (
	errExpireNXAndOthers = "ERR NX and XX, GT or LT options at the same time are not compatible"
	errExpireGTAndLT     = "ERR GT and LT options at the same time are not compatible"
	errUnsupportedOptFmt = "ERR Unsupported option %s"
	errMoveInCluster     = "ERR MOVE is not allowed in cluster mode"
	errCopyInCluster     = "ERR Copying to another database is not allowed in cluster mode"
	errLFUNotSelected    = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
	errLFUSelected       = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."
)

const (
	// sharedIntegers is OBJ_SHARED_INTEGERS: Redis keeps one shared object
	// for each of the integers 0..9999, whose refcount is INT_MAX.
	sharedIntegers       = 10000
	sharedObjectRefcount = math.MaxInt32
	// lfuInitVal is LFU_INIT_VAL, the counter of a new key under LFU.
	lfuInitVal = 5
	// defaultScanCount is SCAN's COUNT when none is given.
	defaultScanCount = 10
)

func keyCommands(s *Server) commandGroup {
	return commandGroup{
		{"del", s.cmdDel, 0},
		{"unlink", s.cmdDel, 0},
		{"exists", s.cmdExists, 0},
		{"type", s.cmdType, 0},
		{"keys", s.cmdKeys, 0},
		{"scan", s.cmdScan, 0},
		{"rename", s.cmdRename, 0},
		{"renamenx", s.cmdRenamenx, 0},
		{"copy", s.cmdCopy, 0},
		{"move", s.cmdMove, 0},
		{"expire", s.cmdExpire, 0},
		{"pexpire", s.cmdPexpire, 0},
		{"expireat", s.cmdExpireat, 0},
		{"pexpireat", s.cmdPexpireat, 0},
		{"ttl", s.cmdTTL, 0},
		{"pttl", s.cmdPTTL, 0},
		{"expiretime", s.cmdExpiretime, 0},
		{"pexpiretime", s.cmdPexpiretime, 0},
		{"persist", s.cmdPersist, 0},
		{"randomkey", s.cmdRandomkey, 0},
		{"touch", s.cmdTouch, 0},
		{"object", nil, 0},
		{"object|encoding", s.cmdObjectEncoding, 0},
		{"object|refcount", s.cmdObjectRefcount, 0},
		{"object|idletime", s.cmdObjectIdletime, 0},
		{"object|freq", s.cmdObjectFreq, 0},
		{"object|help", s.cmdObjectHelp, 0},
	}
}

// cmdDel is DEL and UNLINK: an expired key is expired (not deleted), as
// Redis' expireIfNeeded before dbSyncDelete does.
func (s *Server) cmdDel(c *Ctx, args [][]byte) {
	db := c.DB()
	var n int64
	for _, key := range args[1:] {
		if db.lookupWrite(c, key) == nil {
			continue
		}
		db.remove(string(key))
		s.notifyKey(c.Client.db, string(key), "del", EventGeneric)
		n++
	}
	c.W.Int(n)
}

// cmdExists counts the keys that exist, a key named twice twice.
func (s *Server) cmdExists(c *Ctx, args [][]byte) {
	db := c.DB()
	var n int64
	for _, key := range args[1:] {
		if db.lookupReadNoTouch(c, key) != nil {
			n++
		}
	}
	c.W.Int(n)
}

// typeName is what TYPE answers for an entry (nil: "none").
func typeName(e *Entry) string {
	if e == nil {
		return TypeNone.Name()
	}
	if dt := e.ModuleType(); dt != nil {
		return dt.Name
	}
	return e.typ.Name()
}

func (s *Server) cmdType(c *Ctx, args [][]byte) {
	c.W.SimpleString(typeName(c.DB().lookupReadNoTouch(c, args[1])))
}

// cmdKeys lists the matching keys in scan order. Like Redis 7.0 it skips
// the keys whose time has passed without deleting them (keyIsExpired).
func (s *Server) cmdKeys(c *Ctx, args [][]byte) {
	pattern := string(args[1])
	all := pattern == "*"
	var keys []string
	c.DB().Keys(func(key string, e *Entry) bool {
		if (all || GlobMatch(pattern, key, false)) && (e.expireAt == 0 || e.expireAt > c.now) {
			keys = append(keys, key)
		}
		return true
	})
	c.W.StringArray(keys)
}

// parseScanCursor parses a SCAN cursor as Redis does, with strtoull: an
// optional sign ("-1" wraps around to 2^64-1), decimal digits, nothing
// after; a leading space, no digits or an overflow is invalid. The empty
// string is cursor 0 (strtoull consumes nothing and stops on the NUL).
func parseScanCursor(b []byte) (uint64, bool) {
	if len(b) == 0 {
		return 0, true
	}
	neg := false
	digits := b
	switch b[0] {
	case '-':
		neg = true
		digits = b[1:]
	case '+':
		digits = b[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var n uint64
	for _, ch := range digits {
		if ch < '0' || ch > '9' {
			return 0, false
		}
		d := uint64(ch - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, false // ERANGE
		}
		n = n*10 + d
	}
	if neg {
		n = -n
	}
	return n, true
}

// scanOptions are the options of SCAN and HSCAN.
type scanOptions struct {
	count      int64
	pattern    string
	usePattern bool // a MATCH other than "*" (which matches even "")
	typ        string
	useType    bool
}

// parseScanOptions reads [MATCH pattern] [COUNT count] [TYPE type] (TYPE
// only if allowType), replying the error Redis gives when they are wrong;
// the last MATCH, COUNT or TYPE wins.
func parseScanOptions(c *Ctx, args [][]byte, allowType bool) (opts scanOptions, ok bool) {
	opts.count = defaultScanCount
	for i := 0; i < len(args); i += 2 {
		hasValue := i+1 < len(args)
		switch {
		case hasValue && resp.EqualFold(args[i], "count"):
			n, ok := resp.ParseInt(args[i+1])
			if !ok {
				c.W.Error(ErrNotInteger)
				return opts, false
			}
			if n < 1 {
				c.W.Error(ErrSyntax)
				return opts, false
			}
			opts.count = n
		case hasValue && resp.EqualFold(args[i], "match"):
			opts.pattern = string(args[i+1])
			opts.usePattern = opts.pattern != "*"
		case allowType && hasValue && resp.EqualFold(args[i], "type"):
			opts.typ, opts.useType = string(args[i+1]), true
		default:
			c.W.Error(ErrSyntax)
			return opts, false
		}
	}
	return opts, true
}

// cmdScan iterates the keyspace. As in Redis, COUNT bounds the keys
// visited, and the filters (MATCH, then TYPE, then expiry) apply to them
// afterwards, so a call may return fewer keys than COUNT, or none, with a
// cursor that is not 0.
func (s *Server) cmdScan(c *Ctx, args [][]byte) {
	cursor, ok := parseScanCursor(args[1])
	if !ok {
		c.W.Error(ErrInvalidCursor)
		return
	}
	opts, ok := parseScanOptions(c, args[2:], true)
	if !ok {
		return
	}
	count, pattern, usePattern, typ, useType := opts.count, opts.pattern, opts.usePattern, opts.typ, opts.useType
	db := c.DB()
	var keys []string
	next := db.Scan(cursor, int(min(count, math.MaxInt)), func(key string) {
		if !usePattern || GlobMatch(pattern, key, false) {
			keys = append(keys, key)
		}
	})
	// Filtering may delete expired keys: it runs once the iteration is over.
	kept := keys[:0]
	for _, key := range keys {
		// Redis 7.0 looks the key up for its type, which expires it; an
		// expired key then has type "none" and, already gone, passes the
		// expiry filter below: "SCAN 0 TYPE none" lists expired keys.
		if useType && !strings.EqualFold(typ, typeName(db.lookupReadNoTouch(c, []byte(key)))) {
			continue
		}
		if e := db.keys[key]; e != nil && e.expireAt != 0 && db.expireIfNeeded(key, e, c.now) {
			continue
		}
		kept = append(kept, key)
	}
	c.W.Array(2)
	c.W.BulkString(strconv.FormatUint(next, 10))
	c.W.StringArray(kept)
}

func (s *Server) cmdRename(c *Ctx, args [][]byte)   { s.rename(c, args, false) }
func (s *Server) cmdRenamenx(c *Ctx, args [][]byte) { s.rename(c, args, true) }

// rename moves a key's value, with its expiry, to another name. Replacing
// the destination fires no "del" for it: only rename_from and rename_to.
func (s *Server) rename(c *Ctx, args [][]byte, nx bool) {
	db := c.DB()
	src, dst := string(args[1]), string(args[2])
	e := db.lookupWrite(c, args[1])
	if e == nil {
		c.W.Error(ErrNoSuchKey)
		return
	}
	if src == dst {
		// A no-op, but only once the key is known to exist.
		if nx {
			c.W.Int(0)
		} else {
			c.W.OK()
		}
		return
	}
	if db.lookupWrite(c, args[2]) != nil {
		if nx {
			c.W.Int(0)
			return
		}
		db.remove(dst)
	}
	db.remove(src)
	db.add(dst, e)
	s.notifyKey(c.Client.db, src, "rename_from", EventGeneric)
	s.notifyKey(c.Client.db, dst, "rename_to", EventGeneric)
	if nx {
		c.W.Int(1)
	} else {
		c.W.OK()
	}
}

// parseDBArg parses the database number of MOVE and COPY ... DB as Redis
// does (getIntFromObjectOrReply, then selectDb), answering the error.
func (s *Server) parseDBArg(c *Ctx, arg []byte) (int, bool) {
	n, ok := resp.ParseInt(arg)
	switch {
	case !ok:
		c.W.Error(ErrNotInteger)
	case n < math.MinInt32 || n > math.MaxInt32:
		c.W.Error(ErrIntRange)
	case n < 0 || n >= int64(len(s.dbs)):
		c.W.Error(ErrDBIndex)
	default:
		return int(n), true
	}
	return 0, false
}

// copyEntry duplicates a value and its expiry; the copy's access time is
// set when it is added, as a new Redis object's LRU clock is. It is nil
// for a module value whose type cannot be copied.
func copyEntry(e *Entry) *Entry {
	var cp *Entry
	if e.typ == TypeModule {
		if cp = copyModuleValue(e); cp == nil {
			return nil
		}
	} else if e.typ == TypeList {
		cp = &Entry{typ: TypeList, mod: &moduleValue{list: e.list().copy()}}
	} else if e.typ == TypeHash {
		cp = (*Entry)(e.Hash().Copy())
		cp.typ = TypeHash
		cp.hashBig, cp.hashEx = e.hashBig, e.hashEx // the copy keeps the encoding
	} else if e.typ == TypeSet {
		cp = newSetEntry(e.set().copy())
	} else if e.typ == TypeStream {
		cp = newStreamEntry(e.stream().copy())
	} else if e.typ == TypeZset {
		cp = newZsetEntry(e.zset().copy())
	} else {
		cp = newStringEntry(e.str, e.enc)
	}
	cp.expireAt = e.expireAt
	return cp
}

func (s *Server) cmdCopy(c *Ctx, args [][]byte) {
	srcID, dstID := c.Client.db, c.Client.db
	replace := false
	for j := 3; j < len(args); j++ {
		switch {
		case resp.EqualFold(args[j], "replace"):
			replace = true
		case resp.EqualFold(args[j], "db") && j+1 < len(args):
			id, ok := s.parseDBArg(c, args[j+1])
			if !ok {
				return
			}
			dstID = id
			j++
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	if s.params.clusterEnabled() && (srcID != 0 || dstID != 0) {
		c.W.Error(errCopyInCluster)
		return
	}
	key, newKey := string(args[1]), string(args[2])
	if srcID == dstID && key == newKey {
		c.W.Error(ErrSameObject)
		return
	}
	src, dst := s.dbs[srcID], s.dbs[dstID]
	e := src.lookupRead(c, args[1])
	if e == nil {
		c.W.Int(0)
		return
	}
	exists := dst.lookupWrite(c, args[2]) != nil
	if exists && !replace {
		c.W.Int(0)
		return
	}
	cp := copyEntry(e)
	if cp == nil {
		c.W.Error(errModuleNoCopy)
		return
	}
	if exists {
		dst.remove(newKey)
	}
	dst.add(newKey, cp)
	s.notifyKey(dstID, newKey, "copy_to", EventGeneric)
	c.W.Int(1)
}

func (s *Server) cmdMove(c *Ctx, args [][]byte) {
	if s.params.clusterEnabled() {
		c.W.Error(errMoveInCluster)
		return
	}
	dstID, ok := s.parseDBArg(c, args[2])
	if !ok {
		return
	}
	srcID := c.Client.db
	if srcID == dstID {
		c.W.Error(ErrSameObject)
		return
	}
	src, dst := s.dbs[srcID], s.dbs[dstID]
	key := string(args[1])
	e := src.lookupWrite(c, args[1])
	if e == nil || dst.lookupWrite(c, args[1]) != nil {
		c.W.Int(0)
		return
	}
	src.remove(key)
	dst.add(key, e)
	s.notifyKey(srcID, key, "move_from", EventGeneric)
	s.notifyKey(dstID, key, "move_to", EventGeneric)
	c.W.Int(1)
}

// The conditions of EXPIRE and its variants.
const (
	expireNX = 1 << iota
	expireXX
	expireGT
	expireLT
)

func (s *Server) cmdExpire(c *Ctx, args [][]byte)    { s.expire(c, args, c.now, true) }
func (s *Server) cmdPexpire(c *Ctx, args [][]byte)   { s.expire(c, args, c.now, false) }
func (s *Server) cmdExpireat(c *Ctx, args [][]byte)  { s.expire(c, args, 0, true) }
func (s *Server) cmdPexpireat(c *Ctx, args [][]byte) { s.expire(c, args, 0, false) }

// expire is Redis' expireGenericCommand: the options are checked before
// the time, the time (in seconds when inSeconds) is added to base (unix
// ms), and an overflow of either step is an invalid expire time. A time
// that has already passed deletes the key.
func (s *Server) expire(c *Ctx, args [][]byte, base int64, inSeconds bool) {
	flags := 0
	for _, opt := range args[3:] {
		switch {
		case resp.EqualFold(opt, "nx"):
			flags |= expireNX
		case resp.EqualFold(opt, "xx"):
			flags |= expireXX
		case resp.EqualFold(opt, "gt"):
			flags |= expireGT
		case resp.EqualFold(opt, "lt"):
			flags |= expireLT
		default:
			c.W.Error(fmt.Sprintf(errUnsupportedOptFmt, opt))
			return
		}
	}
	if flags&expireNX != 0 && flags&(expireXX|expireGT|expireLT) != 0 {
		c.W.Error(errExpireNXAndOthers)
		return
	}
	if flags&expireGT != 0 && flags&expireLT != 0 {
		c.W.Error(errExpireGTAndLT)
		return
	}
	when, ok := resp.ParseInt(args[2])
	if !ok {
		c.W.Error(ErrNotInteger)
		return
	}
	if inSeconds {
		if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
			c.W.Error(fmt.Sprintf(ErrInvalidExpireFmt, c.Cmd.Name))
			return
		}
		when *= 1000
	}
	if when > math.MaxInt64-base {
		c.W.Error(fmt.Sprintf(ErrInvalidExpireFmt, c.Cmd.Name))
		return
	}
	when += base

	db := c.DB()
	key := string(args[1])
	e := db.lookupWrite(c, args[1])
	if e == nil {
		c.W.Int(0)
		return
	}
	cur := e.expireAt // 0: no expiry, an infinite TTL for GT and LT
	if (flags&expireNX != 0 && cur != 0) ||
		(flags&expireXX != 0 && cur == 0) ||
		(flags&expireGT != 0 && (cur == 0 || when <= cur)) ||
		(flags&expireLT != 0 && cur != 0 && when >= cur) {
		c.W.Int(0)
		return
	}
	if when <= c.now {
		db.remove(key)
		s.notifyKey(c.Client.db, key, "del", EventGeneric)
	} else {
		db.setExpire(key, e, when)
		s.notifyKey(c.Client.db, key, "expire", EventGeneric)
	}
	c.W.Int(1)
}

func (s *Server) cmdTTL(c *Ctx, args [][]byte)         { s.ttl(c, args, false, false) }
func (s *Server) cmdPTTL(c *Ctx, args [][]byte)        { s.ttl(c, args, true, false) }
func (s *Server) cmdExpiretime(c *Ctx, args [][]byte)  { s.ttl(c, args, false, true) }
func (s *Server) cmdPexpiretime(c *Ctx, args [][]byte) { s.ttl(c, args, true, true) }

// ttl answers -2 for a missing key, -1 for a key without expiry, else the
// time left (or the unix time when abs), in seconds rounded to the nearest
// as Redis does ((ms+500)/1000) unless inMs.
func (s *Server) ttl(c *Ctx, args [][]byte, inMs, abs bool) {
	e := c.DB().lookupReadNoTouch(c, args[1])
	if e == nil {
		c.W.Int(-2)
		return
	}
	if e.expireAt == 0 {
		c.W.Int(-1)
		return
	}
	t := e.expireAt
	if !abs {
		t = max(t-c.now, 0)
	}
	if !inMs {
		// t >= 0: unsigned, (t+500) cannot overflow; Redis answers
		// 9223372036854776 for an expiry at the largest time.
		t = int64((uint64(t) + 500) / 1000)
	}
	c.W.Int(t)
}

func (s *Server) cmdPersist(c *Ctx, args [][]byte) {
	db := c.DB()
	e := db.lookupWrite(c, args[1])
	if e == nil || e.expireAt == 0 {
		c.W.Int(0)
		return
	}
	db.setExpire(string(args[1]), e, 0)
	s.notifyKey(c.Client.db, string(args[1]), "persist", EventGeneric)
	c.W.Int(1)
}

// cmdRandomkey answers a random live key: an expired key it draws is
// expired and another drawn, as Redis' dbRandomKey does.
func (s *Server) cmdRandomkey(c *Ctx, args [][]byte) {
	db := c.DB()
	for {
		key := db.randomKey()
		if key == "" {
			c.W.Null()
			return
		}
		if e := db.keys[key]; e.expireAt != 0 && db.expireIfNeeded(key, e, c.now) {
			continue
		}
		c.W.BulkString(key)
		return
	}
}

// cmdTouch counts the existing keys and updates their access time, even
// for a client in CLIENT NO-TOUCH mode (Redis 7.2 exempts TOUCH from it).
func (s *Server) cmdTouch(c *Ctx, args [][]byte) {
	db := c.DB()
	var n int64
	for _, key := range args[1:] {
		if e := db.lookupRead(c, key); e != nil {
			e.access = c.now
			n++
		}
	}
	c.W.Int(n)
}

// lfuPolicy tells whether maxmemory-policy is one of the LFU policies.
func (s *Server) lfuPolicy() bool {
	return strings.HasSuffix(s.cfg.Get("maxmemory-policy"), "-lfu")
}

// objectLookup finds the key of an OBJECT subcommand, answering a null
// when it does not exist (before any check of the policy).
func (s *Server) objectLookup(c *Ctx, key []byte) *Entry {
	e := c.DB().lookupReadNoTouch(c, key)
	if e == nil {
		c.W.Null()
	}
	return e
}

func (s *Server) cmdObjectEncoding(c *Ctx, args [][]byte) {
	if e := s.objectLookup(c, args[2]); e != nil {
		c.W.BulkString(e.encoding())
	}
}

// cmdObjectRefcount answers INT_MAX for Redis' shared integers (0..9999
// stored with the "int" encoding, unless maxmemory is set with an LRU or
// LFU policy, where Redis stops sharing them), 1 for any other value.
func (s *Server) cmdObjectRefcount(c *Ctx, args [][]byte) {
	e := s.objectLookup(c, args[2])
	if e == nil {
		return
	}
	refcount := int64(1)
	if e.encoding() == "int" {
		v, _ := resp.ParseIntString(e.str)
		policy := s.cfg.Get("maxmemory-policy")
		noSharing := s.cfg.Lookup("maxmemory").Int() != 0 &&
			(strings.HasSuffix(policy, "-lru") || strings.HasSuffix(policy, "-lfu"))
		if v >= 0 && v < sharedIntegers && !noSharing {
			refcount = sharedObjectRefcount
		}
	}
	c.W.Int(refcount)
}

// cmdObjectIdletime answers the seconds since the last access, as the
// difference of Redis' LRU clock (whole seconds) readings.
func (s *Server) cmdObjectIdletime(c *Ctx, args [][]byte) {
	e := s.objectLookup(c, args[2])
	if e == nil {
		return
	}
	if s.lfuPolicy() {
		c.W.Error(errLFUSelected)
		return
	}
	c.W.Int(max(c.now/1000-e.access/1000, 0))
}

// cmdObjectFreq answers an approximation of Redis' LFU counter, which we
// do not keep: the initial value of a new key, decayed by one for every
// minute (the default lfu-decay-time) since the last access.
func (s *Server) cmdObjectFreq(c *Ctx, args [][]byte) {
	e := s.objectLookup(c, args[2])
	if e == nil {
		return
	}
	if !s.lfuPolicy() {
		c.W.Error(errLFUNotSelected)
		return
	}
	c.W.Int(max(lfuInitVal-(c.now-e.access)/60000, 0))
}

func (s *Server) cmdObjectHelp(c *Ctx, args [][]byte) {
	writeHelp(c.W, "OBJECT", []string{
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
	})
}
