package server

func transactionCommands(s *Server) commandGroup {
	return commandGroup{
		{"multi", s.cmdMulti, 0},
		{"exec", s.cmdExec, 0},
		{"discard", s.cmdDiscard, 0},
		{"watch", s.cmdWatch, 0},
		{"unwatch", s.cmdUnwatch, 0},
	}
}

func (s *Server) cmdMulti(c *Ctx, args [][]byte) {
	cl := c.Client
	if cl.inMulti {
		c.W.Error(ErrMultiNested)
		return
	}
	cl.inMulti = true
	c.W.OK()
}

func (s *Server) cmdDiscard(c *Ctx, args [][]byte) {
	cl := c.Client
	if !cl.inMulti {
		c.W.Error(ErrDiscardNoMulti)
		return
	}
	s.discardTransaction(cl)
	s.unwatchAll(cl)
	c.W.OK()
}

func (s *Server) discardTransaction(cl *Client) {
	cl.inMulti = false
	cl.dirtyExec = false
	cl.dirtyCAS = false
	cl.queued = nil
}

func (s *Server) cmdExec(c *Ctx, args [][]byte) {
	cl := c.Client
	if !cl.inMulti {
		c.W.Error(ErrExecWithoutMulti)
		return
	}
	if s.watchedKeyExpired(cl, c.now) {
		cl.dirtyCAS = true
	}
	if cl.dirtyExec {
		c.W.Error(ErrExecAbort)
		s.discardTransaction(cl)
		s.unwatchAll(cl)
		return
	}
	if cl.dirtyCAS {
		c.W.NullArray()
		s.discardTransaction(cl)
		s.unwatchAll(cl)
		return
	}
	queued := cl.queued
	s.discardTransaction(cl)
	s.unwatchAll(cl)
	c.W.Array(len(queued))
	execCmd := c.Cmd
	for _, q := range queued {
		c.inExec = true
		s.call(c, q.cmd, q.args)
		c.inExec = false
		if cl.closeAfterReply {
			// QUIT inside MULTI: the rest still runs in Redis; so do we.
			continue
		}
	}
	c.Cmd = execCmd
	// The queued commands counted their own errors.
	c.W.ResetErrors()
}

func (s *Server) cmdWatch(c *Ctx, args [][]byte) {
	cl := c.Client
	if cl.inMulti {
		c.W.Error(ErrWatchInMulti)
		return
	}
	if cl.dirtyCAS {
		// Already doomed: no point in watching more (Redis does the same).
		c.W.OK()
		return
	}
	db := s.dbs[cl.db]
	for _, k := range args[1:] {
		wk := watchKey{db: cl.db, key: string(k)}
		already := false
		for _, w := range cl.watched {
			if w.db == wk.db && w.key == wk.key {
				already = true
				break
			}
		}
		if already {
			continue
		}
		e := db.keys[wk.key]
		wk.existed = e != nil && (e.expireAt == 0 || e.expireAt > c.now)
		cl.watched = append(cl.watched, wk)
		s.watched[watchKey{db: wk.db, key: wk.key}] = append(s.watched[watchKey{db: wk.db, key: wk.key}], cl)
	}
	c.W.OK()
}

func (s *Server) cmdUnwatch(c *Ctx, args [][]byte) {
	s.unwatchAll(c.Client)
	c.Client.dirtyCAS = false
	c.W.OK()
}

// unwatchAll forgets the client's watched keys.
func (s *Server) unwatchAll(cl *Client) {
	for _, wk := range cl.watched {
		k := watchKey{db: wk.db, key: wk.key}
		list := s.watched[k]
		for i, other := range list {
			if other == cl {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(s.watched, k)
		} else {
			s.watched[k] = list
		}
	}
	cl.watched = nil
}

// touchWatched marks the clients watching a key: their EXEC will fail.
//
// Redis 7.0 makes one exception: a key that was already expired (but not
// yet deleted) when it was watched, and is now deleted, has not changed
// logically. Such a watcher has existed == false; a watcher of a key that
// did not exist at all cannot see the key deleted without having seen it
// created first (which made it dirty), so "not existing at WATCH and gone
// now" identifies the exception.
func (s *Server) touchWatched(db int, key string) {
	clients := s.watched[watchKey{db: db, key: key}]
	if len(clients) == 0 {
		return
	}
	_, exists := s.dbs[db].keys[key]
	for _, cl := range clients {
		if !exists && !cl.watchedExisting(db, key) {
			continue
		}
		cl.dirtyCAS = true
	}
}

// watchedExisting reports whether the client watched a key that existed (and
// had not expired) at the time.
func (cl *Client) watchedExisting(db int, key string) bool {
	for _, wk := range cl.watched {
		if wk.db == db && wk.key == key {
			return wk.existed
		}
	}
	return false
}

// touchWatchedDB touches the watched keys of database db when it is
// emptied (FLUSHDB, FLUSHALL) or swapped with other (SWAPDB), as Redis
// 7.0's touchAllWatchedKeysInDb: a key changes if it exists in db or in
// other; one that was already expired when watched only changes if other
// has it (its deletion alone is no change).
func (s *Server) touchWatchedDB(db int, other *DB) {
	for k, list := range s.watched {
		if k.db != db {
			continue
		}
		_, inDB := s.dbs[db].keys[k.key]
		inOther := false
		if other != nil {
			_, inOther = other.keys[k.key]
		}
		if !inDB && !inOther {
			continue
		}
		for _, cl := range list {
			if inOther || cl.watchedExisting(db, k.key) {
				cl.dirtyCAS = true
			}
		}
	}
}

// watchedKeyExpired reports whether a key that existed when it was watched
// has expired since (Redis 7 counts that as a change).
func (s *Server) watchedKeyExpired(cl *Client, now int64) bool {
	for _, wk := range cl.watched {
		if !wk.existed {
			continue
		}
		e := s.dbs[wk.db].keys[wk.key]
		if e != nil && e.expireAt != 0 && e.expireAt <= now {
			return true
		}
	}
	return false
}
