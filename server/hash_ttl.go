package server

import "time"

// Hash field expiration (Redis 7.4 / 8.x: HEXPIRE, HSETEX...). A hash
// without field TTLs is unchanged: its entry's mod pointer is nil. The
// first TTL hangs a hashTTLs off mod (a hash has no other use for it), and
// the key joins its DB's hfe set for active expiry; when the last TTL goes,
// mod is nil again.
//
// Expired fields are removed when a hash command looks the key up (all the
// due fields at once, one "hexpired" event; a hash left empty is deleted
// with "del") and by the cron. Redis 8 removes a field when a command reads
// it and only hides expired fields from HGETALL and the like (HLEN counts
// them until they are reclaimed); removing them at lookup makes every
// command, HLEN included, see only live fields.
type hashTTLs struct {
	at map[string]int64 // field → unix ms
}

func (t *hashTTLs) copy() *hashTTLs {
	cp := &hashTTLs{at: make(map[string]int64, len(t.at))}
	for f, ms := range t.at {
		cp.at[f] = ms
	}
	return cp
}

// hfeMaxMs is HFE_MAX_ABS_TIME_MSEC: EB_EXPIRE_TIME_MAX (48 bits) with two
// bits reserved.
const hfeMaxMs = (1<<48 - 1) >> 2

// fieldTTLs is the hash's field TTLs, nil if it has none.
func (e *Entry) fieldTTLs() *hashTTLs {
	if e.mod == nil || e.typ != TypeHash {
		return nil
	}
	t, _ := e.mod.v.(*hashTTLs)
	return t
}

// fieldTTL is a field's expiry in unix ms, 0 if none.
func (e *Entry) fieldTTL(field string) int64 {
	if t := e.fieldTTLs(); t != nil {
		return t.at[field]
	}
	return 0
}

// setFieldTTL gives a field (which must exist) an expiry.
func (db *DB) setFieldTTL(key string, e *Entry, field string, ms int64) {
	t := e.fieldTTLs()
	if t == nil {
		t = &hashTTLs{at: map[string]int64{}}
		e.mod = &moduleValue{v: t}
		db.hfe[key] = struct{}{}
	}
	t.at[field] = ms
}

// dropFieldTTL removes a field's expiry and reports whether it had one.
func (e *Entry) dropFieldTTL(field string) bool {
	t := e.fieldTTLs()
	if t == nil {
		return false
	}
	if _, ok := t.at[field]; !ok {
		return false
	}
	delete(t.at, field)
	if len(t.at) == 0 {
		e.mod = nil
	}
	return true
}

// noteFieldTTLs registers a hash that arrives with field TTLs (RENAME,
// MOVE, COPY) for active expiry.
func (db *DB) noteFieldTTLs(key string, e *Entry) {
	if e.typ == TypeHash && e.mod != nil {
		db.hfe[key] = struct{}{}
	}
}

// expireFields deletes the fields of key's hash whose time is before now
// and fires "hexpired" (then "del" if the hash is left empty). It reports
// how many fields went and whether the key was deleted.
func (db *DB) expireFields(key string, e *Entry, now int64) (n int, gone bool) {
	t := e.fieldTTLs()
	if t == nil {
		return 0, false
	}
	var due []string
	for f, ms := range t.at {
		if ms < now {
			due = append(due, f)
		}
	}
	if len(due) == 0 {
		return 0, false
	}
	h := e.Hash()
	for _, f := range due {
		h.Delete(f)
	}
	db.srv.notifyKey(db.id, key, "hexpired", EventHash)
	if h.Len() == 0 {
		db.remove(key)
		delete(db.hfe, key)
		db.srv.notifyKey(db.id, key, "del", EventGeneric)
		return len(due), true
	}
	return len(due), false
}

// expireFieldsOnLookup is the lazy expiry of a hash command's lookup: the
// entry, or nil if the hash expired whole.
func expireFieldsOnLookup(c *Ctx, key []byte, e *Entry) *Entry {
	if _, gone := c.DB().expireFields(string(key), e, c.now); gone {
		return nil
	}
	return e
}

// activeExpireFields is the cron's field expiry: hashes with field TTLs are
// visited (up to 20 a round, again while a round expired something, for at
// most budget), and names whose hash no longer has TTLs are dropped.
func (db *DB) activeExpireFields(budget time.Duration) {
	if len(db.hfe) == 0 {
		return
	}
	start := time.Now()
	now := start.UnixMilli()
	for {
		var batch []string
		for key := range db.hfe {
			batch = append(batch, key)
			if len(batch) >= 20 {
				break
			}
		}
		expired := 0
		for _, key := range batch {
			e := db.keys[key]
			if e == nil || e.fieldTTLs() == nil {
				delete(db.hfe, key)
				continue
			}
			if e.expireAt != 0 && e.expireAt <= now {
				continue // the key's own expiry comes first
			}
			n, _ := db.expireFields(key, e, now)
			expired += n
		}
		if expired == 0 || time.Since(start) > budget {
			return
		}
	}
}
