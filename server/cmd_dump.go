package server

import (
	"github.com/miniredis-search/miniredis-search/resp"
)

// DUMP and RESTORE (cluster.c in Redis 7.0): a value as the RDB
// serialization redis-server writes (rdb_encode.go, rdb_decode.go), so
// that a payload moves between this server and a redis-server either way.

// Error replies only DUMP and RESTORE give.
const (
	errBusyKey         = "BUSYKEY Target key name already exists."
	errRestoreTTL      = "ERR Invalid TTL value, must be >= 0"
	errRestoreIdle     = "ERR Invalid IDLETIME value, must be >= 0"
	errRestoreFreq     = "ERR Invalid FREQ value, must be >= 0 and <= 255"
	errPayloadChecksum = "ERR DUMP payload version or checksum are wrong"
	errBadDataFormat   = "ERR Bad data format"
)

func dumpCommands(s *Server) commandGroup {
	return commandGroup{
		{"dump", s.cmdDump, 0},
		{"restore", s.cmdRestore, 0},
	}
}

// DUMP key
func (s *Server) cmdDump(c *Ctx, args [][]byte) {
	e := c.DB().lookupRead(c, args[1])
	if e == nil {
		c.W.Null()
		return
	}
	p, err := s.dumpPayload(e)
	if err != nil {
		c.W.Error(err.Error())
		return
	}
	c.W.Bulk(p)
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
// [FREQ frequency]
func (s *Server) cmdRestore(c *Ctx, args [][]byte) {
	replace, absTTL := false, false
	idle, freq := int64(-1), int64(-1)
	for j := 4; j < len(args); j++ {
		more := len(args) - j - 1
		switch {
		case resp.EqualFold(args[j], "replace"):
			replace = true
		case resp.EqualFold(args[j], "absttl"):
			absTTL = true
		case resp.EqualFold(args[j], "idletime") && more >= 1 && freq == -1:
			v, ok := longLongArg(c, args[j+1], "")
			if !ok {
				return
			}
			if v < 0 {
				c.W.Error(errRestoreIdle)
				return
			}
			idle = v
			j++
		case resp.EqualFold(args[j], "freq") && more >= 1 && idle == -1:
			v, ok := longLongArg(c, args[j+1], "")
			if !ok {
				return
			}
			if v < 0 || v > 255 {
				c.W.Error(errRestoreFreq)
				return
			}
			freq = v
			j++
		default:
			c.W.Error(ErrSyntax)
			return
		}
	}
	db := c.DB()
	key := string(args[1])
	if !replace && db.lookupWrite(c, args[1]) != nil {
		c.W.Error(errBusyKey)
		return
	}
	ttl, ok := longLongArg(c, args[2], "")
	if !ok {
		return
	}
	if ttl < 0 {
		c.W.Error(errRestoreTTL)
		return
	}
	e, err := s.restorePayload(args[3], c.now)
	if err == errPayloadVersion {
		c.W.Error(errPayloadChecksum)
		return
	}
	if err != nil {
		c.W.Error(errBadDataFormat)
		return
	}
	deleted := false
	if replace {
		deleted = db.lookupWrite(c, args[1]) != nil && db.remove(key)
	}
	if ttl != 0 && !absTTL {
		ttl += c.now
	}
	if ttl != 0 && ttl <= c.now {
		// Already expired: nothing is created (and a replaced key is gone).
		if deleted {
			s.notifyKey(c.Client.db, key, "del", EventGeneric)
			s.stats.dirty.Inc()
		}
		c.W.OK()
		return
	}
	e.expireAt = ttl
	e.access = c.now
	if idle >= 0 && !s.lfuPolicy() {
		// objectSetLRUOrLFU: the LRU clock set back by the idle time. The
		// LFU counter (FREQ) is not modelled: OBJECT FREQ derives it from
		// the access time.
		e.access = c.now - idle*1000
	}
	db.add(key, e)
	s.notifyKey(c.Client.db, key, "restore", EventGeneric)
	s.stats.dirty.Inc()
	c.W.OK()
}
