package server

import (
	"encoding/binary"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The HyperLogLog commands, as Redis 7.0 implements them in hyperloglog.c
// (the representation is in hll.go). An HLL is a string: every command
// that reads one checks it is a valid HLL string first, and a write leaves
// the string raw-encoded, as dbUnshareStringValue does.

func hllCommands(s *Server) commandGroup {
	return commandGroup{
		{"pfadd", s.cmdPfadd, 0},
		{"pfcount", s.cmdPfcount, 0},
		{"pfmerge", s.cmdPfmerge, 0},
		{"pfdebug", s.cmdPfdebug, 0},
		{"pfselftest", s.cmdPfselftest, 0},
	}
}

// hllLookup looks an HLL up: ok false once an error is sent (WRONGTYPE for
// another type or a string that is not an HLL).
func hllLookup(c *Ctx, key []byte, write bool) (*Entry, bool) {
	e, ok := lookupTyped(c, key, TypeString, write)
	if !ok {
		return nil, false
	}
	if e != nil && !validHLL(e.str) {
		c.W.Error(errHLLWrongType)
		return nil, false
	}
	return e, true
}

// setHLL stores h as e's string, raw-encoded.
func setHLL(e *Entry, h []byte) {
	e.str, e.appended, e.enc = string(h), nil, encRaw
}

func (s *Server) hllMaxSparse() int64 { return s.params.hllSparseMaxBytes.Int() }

// PFADD key [element ...] replies 1 if the key was created or a register
// changed (event "pfadd"), else 0.
func (s *Server) cmdPfadd(c *Ctx, args [][]byte) {
	e, ok := hllLookup(c, args[1], true)
	if !ok {
		return
	}
	updated := 0
	var h []byte
	if e == nil {
		h = newHLL()
		updated++
	} else {
		h = []byte(e.str)
		e.enc = encRaw
	}
	maxSparse := s.hllMaxSparse()
	for _, ele := range args[2:] {
		var r int
		h, r = hllAdd(h, ele, maxSparse)
		switch r {
		case 1:
			updated++
		case -1:
			c.W.Error(errHLLInvalid)
			return
		}
	}
	if updated == 0 {
		c.W.Int(0)
		return
	}
	hllInvalidate(h)
	key := string(args[1])
	if e == nil {
		c.DB().add(key, newStringEntry(string(h), encRaw))
	} else {
		setHLL(e, h)
	}
	s.strNotify(c, key, "pfadd", EventString)
	c.W.Int(1)
}

// PFCOUNT key [key ...]. One key: the cached cardinality, or the estimate,
// which is then cached in the header (a change of the key for WATCH, with
// no event, as signalModifiedKey without notifyKeyspaceEvent). Several
// keys: the estimate of their union, nothing cached.
func (s *Server) cmdPfcount(c *Ctx, args [][]byte) {
	if len(args) > 2 {
		var max [hllRegisters]uint8
		for _, k := range args[1:] {
			e, ok := hllLookup(c, k, false)
			if !ok {
				return
			}
			if e != nil && !hllMergeInto(&max, []byte(e.str)) {
				c.W.Error(errHLLInvalid)
				return
			}
		}
		var histo [64]int
		for _, v := range max {
			histo[v]++
		}
		c.W.Int(int64(hllEstimate(&histo)))
		return
	}
	e, ok := hllLookup(c, args[1], true)
	if !ok {
		return
	}
	if e == nil {
		c.W.Int(0)
		return
	}
	e.enc = encRaw
	if hllCacheValid([]byte(e.str[:hllHdrSize])) {
		c.W.Int(int64(binary.LittleEndian.Uint64([]byte(e.str[8:16]))))
		return
	}
	h := []byte(e.str)
	histo, valid := hllHisto(h)
	if !valid {
		c.W.Error(errHLLInvalid)
		return
	}
	card := hllEstimate(&histo)
	binary.LittleEndian.PutUint64(h[8:16], card)
	setHLL(e, h)
	s.stats.dirty.Inc()
	if len(s.watched) > 0 {
		s.touchWatched(c.Client.db, string(args[1]))
	}
	c.W.Int(int64(card))
}

// PFMERGE destkey [sourcekey ...]: the union into destkey (itself a source),
// dense if any source is dense; event "pfadd".
func (s *Server) cmdPfmerge(c *Ctx, args [][]byte) {
	var max [hllRegisters]uint8
	useDense := false
	for _, k := range args[1:] {
		e, ok := hllLookup(c, k, false)
		if !ok {
			return
		}
		if e == nil {
			continue
		}
		if e.str[4] == hllDense {
			useDense = true
		}
		if !hllMergeInto(&max, []byte(e.str)) {
			c.W.Error(errHLLInvalid)
			return
		}
	}
	key := string(args[1])
	e := c.DB().lookupWrite(c, args[1])
	var h []byte
	if e == nil {
		h = newHLL()
		e = newStringEntry("", encRaw)
		c.DB().add(key, e)
	} else {
		h = []byte(e.str)
	}
	if useDense {
		d, ok := sparseToDense(h)
		if !ok {
			setHLL(e, h)
			c.W.Error(errHLLInvalid)
			return
		}
		h = d
	}
	maxSparse := s.hllMaxSparse()
	for i, v := range max {
		if v != 0 {
			h, _ = hllSet(h, i, v, maxSparse)
		}
	}
	hllInvalidate(h)
	setHLL(e, h)
	s.strNotify(c, key, "pfadd", EventString)
	c.W.OK()
}

// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. GETREG and TODENSE convert a
// sparse HLL to dense (no event, as in Redis).
func (s *Server) cmdPfdebug(c *Ctx, args [][]byte) {
	sub := string(args[1])
	e := c.DB().lookupWrite(c, args[2])
	if e == nil {
		c.W.Error("ERR The specified key does not exist")
		return
	}
	if e.typ != TypeString {
		c.W.Error(ErrWrongType)
		return
	}
	if !validHLL(e.str) {
		c.W.Error(errHLLWrongType)
		return
	}
	e.enc = encRaw
	h := []byte(e.str)
	switch strings.ToLower(sub) {
	case "getreg", "todense":
		conv := false
		if h[4] == hllSparse {
			d, ok := sparseToDense(h)
			if !ok {
				c.W.Error(errHLLInvalid)
				return
			}
			h, conv = d, true
			setHLL(e, h)
			s.stats.dirty.Inc()
		}
		if strings.EqualFold(sub, "todense") {
			c.W.Int(map[bool]int64{false: 0, true: 1}[conv])
			return
		}
		c.W.Array(hllRegisters)
		regs := h[hllHdrSize:]
		for i := 0; i < hllRegisters; i++ {
			c.W.Int(int64(denseGet(regs, i)))
		}
	case "decode":
		if h[4] != hllSparse {
			c.W.Error("ERR HLL encoding is not sparse")
			return
		}
		var sb strings.Builder
		for p := hllHdrSize; p < len(h); {
			b := h[p]
			switch {
			case spIsZero(b):
				sb.WriteString("z:" + strconv.Itoa(spZeroLen(b)) + " ")
				p++
			case spIsXZero(b):
				sb.WriteString("Z:" + strconv.Itoa(spXZeroLen(h, p)) + " ")
				p += 2
			default:
				sb.WriteString("v:" + strconv.Itoa(spValValue(b)) + "," + strconv.Itoa(spValLen(b)) + " ")
				p++
			}
		}
		c.W.Bulk([]byte(strings.Trim(sb.String(), " ")))
	case "encoding":
		if h[4] == hllDense {
			c.W.SimpleString("dense")
		} else {
			c.W.SimpleString("sparse")
		}
	default:
		c.W.Error("ERR Unknown PFDEBUG subcommand '" + sub + "'")
	}
}

// PFSELFTEST checks the dense register packing and that the sparse and
// dense representations estimate alike. Redis' own test runs much longer;
// this one keeps to a few milliseconds.
func (s *Server) cmdPfselftest(c *Ctx, args [][]byte) {
	rng := rand.New(rand.NewPCG(1, 2))
	regs := make([]byte, hllDenseSize-hllHdrSize)
	var want [hllRegisters]uint8
	for round := 0; round < 10; round++ {
		for i := range want {
			want[i] = uint8(rng.IntN(hllRegMax + 1))
			denseSet(regs, i, want[i])
		}
		for i := range want {
			if denseGet(regs, i) != want[i] {
				c.W.Error("TESTFAILED Register error at " + strconv.Itoa(i))
				return
			}
		}
	}
	sparse, dense := newHLL(), newHLL()
	dense, _ = sparseToDense(dense)
	var buf [8]byte
	for i := 0; i < 2000; i++ {
		binary.LittleEndian.PutUint64(buf[:], rng.Uint64())
		sparse, _ = hllAdd(sparse, buf[:], 1<<20)
		dense, _ = hllAdd(dense, buf[:], 1<<20)
	}
	hs, ok1 := hllHisto(sparse)
	hd, ok2 := hllHisto(dense)
	if !ok1 || !ok2 || hllEstimate(&hs) != hllEstimate(&hd) {
		c.W.Error("TESTFAILED sparse and dense estimates differ")
		return
	}
	c.W.OK()
}
