package module

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/miniredis-search/miniredis-search/internal/strtod"
	"github.com/miniredis-search/miniredis-search/module/index"
	"github.com/miniredis-search/miniredis-search/module/vecsim"
	"github.com/miniredis-search/miniredis-search/resp"
)

// A VECTOR field's definition, `VECTOR FLAT|HNSW|SVS-VAMANA <count>
// <name> <value> ...`, parsed as the module's spec parser does it
// (parseVectorField and its parseVectorField_flat/_hnsw/_svs helpers in
// src/spec.c of the 8.x line): the same order of checks, the same errors,
// and the defaults of the module and of VectorSimilarity (vec_sim_common.h)
// for what the arguments leave out.

// The module's (and VectorSimilarity's) default parameters.
const (
	vecDefaultBlockSize = 1024 // DEFAULT_BLOCK_SIZE

	hnswDefaultM       = 16   // HNSW_DEFAULT_M
	hnswDefaultEFC     = 200  // HNSW_DEFAULT_EF_C
	hnswDefaultEFR     = 10   // HNSW_DEFAULT_EF_RT
	hnswDefaultEpsilon = 0.01 // HNSW_DEFAULT_EPSILON

	svsDefaultGraphDegree       = 32                       // SVS_VAMANA_DEFAULT_GRAPH_MAX_DEGREE
	svsDefaultConstructionWS    = 200                      // SVS_VAMANA_DEFAULT_CONSTRUCTION_WINDOW_SIZE
	svsDefaultSearchWS          = 10                       // SVS_VAMANA_DEFAULT_SEARCH_WINDOW_SIZE
	svsDefaultEpsilon           = 0.01                     // SVS_VAMANA_DEFAULT_EPSILON
	svsDefaultTrainingThreshold = 10 * vecDefaultBlockSize // SVS_VAMANA_DEFAULT_TRAINING_THRESHOLD
)

// svsCompressions are SVS-VAMANA's COMPRESSION values, as the module spells
// them (matched in any case).
var svsCompressions = []string{"LVQ8", "LVQ4", "LVQ4x4", "LVQ4x8", "LeanVec4x8", "LeanVec8x8"}

// svsScalarCompression is what FT.INFO shows for any COMPRESSION on a
// machine without Intel's LVQ (VECSIM_LVQ_SCALAR): the index falls back to
// global scalar quantization. This emulation is such a machine.
const svsScalarCompression = "GlobalSQ8"

// acStatus is a status of the module's argument cursor (rmutil/args.h).
type acStatus uint8

const (
	acOK acStatus = iota
	acErrParse
	acErrNoArg
	acErrELimit
	acErrENoEnt
)

// String is AC_Strerror.
func (s acStatus) String() string {
	switch s {
	case acOK:
		return "SUCCESS"
	case acErrELimit:
		return "Value is outside acceptable bounds"
	case acErrNoArg:
		return "Expected an argument, but none provided"
	case acErrParse:
		return "Could not convert argument to expected type"
	case acErrENoEnt:
		return "Unknown argument"
	}
	return "(AC: You should not be seeing this message. This is a bug)"
}

// cInt is a size_t printed with %d, as the module's messages print counts:
// the low 32 bits, signed.
func cInt(n uint64) int32 { return int32(uint32(n)) }

// parseVectorField reads what follows `VECTOR` into f.Vector: the
// algorithm, the parameter count and the parameters (not the options that
// may follow them).
func parseVectorField(f *index.Field, c *argCursor) error {
	if c.done() {
		return fmt.Errorf("Bad arguments for vector similarity algorithm: %s", acErrNoArg)
	}
	alg := c.next()
	p := &vecsim.Params{}
	f.Vector = p
	switch {
	case resp.EqualFold(alg, "FLAT"):
		p.Algo = vecsim.Flat
	case resp.EqualFold(alg, "HNSW"):
		p.Algo = vecsim.HNSW
		p.M, p.EFConstruction, p.EFRuntime = hnswDefaultM, hnswDefaultEFC, hnswDefaultEFR
	case resp.EqualFold(alg, "SVS-VAMANA"):
		p.Algo = vecsim.SVSVamana
		p.GraphMaxDegree, p.ConstructionWindowSize = svsDefaultGraphDegree, svsDefaultConstructionWS
	default:
		return fmt.Errorf("Bad arguments for vector similarity algorithm: %s", acErrENoEnt)
	}
	algo := p.Algo.String()

	// The parameter count: a size_t, then an even number (name/value pairs).
	n, st := c.getSize(false)
	if st != acOK {
		return fmt.Errorf("Bad arguments for vector similarity number of parameters: %s", st)
	}
	if n%2 != 0 {
		if p.Algo == vecsim.HNSW {
			return fmt.Errorf("Bad number of arguments for vector similarity index: got %d but expected even number (as algorithm parameters should be submitted as named arguments)", cInt(n))
		}
		return fmt.Errorf("Bad number of arguments for vector similarity index: got %d but expected even number as algorithm parameters (should be submitted as named arguments)", cInt(n))
	}
	pairs, read := n/2, uint64(0)
	var hasType, hasDim, hasMetric bool
	badValue := func(param string, st acStatus) error {
		return fmt.Errorf("Bad arguments for vector similarity %s index `%s`: %s", algo, param, st)
	}
	// size reads a size_t parameter; ge1 refuses 0.
	size := func(param string, ge1 bool) (int, error) {
		v, st := c.getSize(ge1)
		if st != acOK {
			return 0, badValue(param, st)
		}
		if v > math.MaxInt {
			return math.MaxInt, nil
		}
		return int(v), nil
	}
	for pairs > read && !c.done() {
		var err error
		switch {
		case c.is("TYPE"):
			t, st := c.getEnum(vecTypeNames)
			if st != acOK {
				return badValue("TYPE", st)
			}
			p.Type = vecsim.ElemType(t + 1)
			if p.Algo == vecsim.SVSVamana && p.Type != vecsim.Float16 && p.Type != vecsim.Float32 {
				return errorString("Not supported data type is given. Expected: FLOAT16, FLOAT32")
			}
			hasType = true
		case c.is("DIM"):
			p.Dim, err = size("DIM", true)
			hasDim = true
		case c.is("DISTANCE_METRIC"):
			m, st := c.getEnum(vecMetricNames)
			if st != acOK {
				return badValue("DISTANCE_METRIC", st)
			}
			p.Metric = vecsim.Metric(m + 1)
			hasMetric = true
		case p.Algo != vecsim.SVSVamana && c.is("INITIAL_CAP"):
			p.InitialCap, err = size("INITIAL_CAP", false)
		case p.Algo == vecsim.Flat && c.is("BLOCK_SIZE"):
			// Parsed and checked, then not respected: 8.2 sizes every
			// vector block itself (parseVectorField_validate_flat).
			_, err = size("BLOCK_SIZE", true)
		case p.Algo == vecsim.HNSW && c.is("M"):
			p.M, err = size("M", true)
		case p.Algo == vecsim.HNSW && c.is("EF_CONSTRUCTION"):
			p.EFConstruction, err = size("EF_CONSTRUCTION", true)
		case p.Algo == vecsim.HNSW && c.is("EF_RUNTIME"):
			p.EFRuntime, err = size("EF_RUNTIME", true)
		case p.Algo != vecsim.Flat && c.is("EPSILON"):
			v, st := c.getDouble()
			if st != acOK {
				return badValue("EPSILON", st)
			}
			p.Epsilon = v
		case p.Algo == vecsim.SVSVamana && c.is("GRAPH_MAX_DEGREE"):
			p.GraphMaxDegree, err = size("GRAPH_MAX_DEGREE", true)
		case p.Algo == vecsim.SVSVamana && c.is("CONSTRUCTION_WINDOW_SIZE"):
			p.ConstructionWindowSize, err = size("CONSTRUCTION_WINDOW_SIZE", true)
		case p.Algo == vecsim.SVSVamana && c.is("COMPRESSION"):
			q, st := c.getEnum(svsCompressions)
			if st != acOK {
				return badValue("COMPRESSION", st)
			}
			p.Compression = svsCompressions[q]
		case p.Algo == vecsim.SVSVamana && c.is("SEARCH_WINDOW_SIZE"):
			p.SearchWindowSize, err = size("SEARCH_WINDOW_SIZE", true)
		case p.Algo == vecsim.SVSVamana && c.is("REDUCE"):
			p.ReduceDim, err = size("REDUCE", true)
		case p.Algo == vecsim.SVSVamana && c.is("TRAINING_THRESHOLD"):
			if p.TrainingThreshold, err = size("TRAINING_THRESHOLD", true); err == nil && p.TrainingThreshold < vecDefaultBlockSize {
				return fmt.Errorf("Invalid TRAINING_THRESHOLD: cannot be lower than DEFAULT_BLOCK_SIZE (%d)", vecDefaultBlockSize)
			}
		default:
			return fmt.Errorf("Bad arguments for algorithm %s: %s", algo, c.next())
		}
		if err != nil {
			return err
		}
		read++
	}
	if pairs > read {
		return fmt.Errorf("Expected %d parameters but got %d", cInt(pairs*2), cInt(read*2))
	}
	for _, m := range []struct {
		given bool
		name  string
	}{{hasType, "TYPE"}, {hasDim, "DIM"}, {hasMetric, "DISTANCE_METRIC"}} {
		if !m.given {
			return fmt.Errorf("Missing mandatory parameter: cannot create %s index without specifying %s argument", algo, m.name)
		}
	}
	switch p.Algo {
	case vecsim.SVSVamana:
		if p.Compression == "" && p.TrainingThreshold > 0 {
			return errorString("TRAINING_THRESHOLD is irrelevant when compression was not requested")
		}
		leanVec := strings.HasPrefix(p.Compression, "LeanVec")
		if !leanVec && p.ReduceDim > 0 {
			return errorString("REDUCE is irrelevant when compression is not of type LeanVec")
		}
		if p.Compression != "" && p.TrainingThreshold == 0 {
			p.TrainingThreshold = svsDefaultTrainingThreshold
		}
		if leanVec && p.ReduceDim == 0 {
			p.ReduceDim = p.Dim / 2
		}
		if p.SearchWindowSize == 0 {
			p.SearchWindowSize = svsDefaultSearchWS
		}
		if p.Epsilon == 0 {
			// VectorSimilarity takes 0 for "not given".
			p.Epsilon = svsDefaultEpsilon
		}
	case vecsim.HNSW:
		if p.Epsilon == 0 {
			// VectorSimilarity's HNSW takes the default for any epsilon
			// that is not positive: EPSILON 0 is 0.01.
			p.Epsilon = hnswDefaultEpsilon
		}
	}
	// 8.2 no longer respects a user's block size (FLAT's BLOCK_SIZE is
	// parsed, then overwritten): every algorithm stores blocks of
	// DEFAULT_BLOCK_SIZE vectors.
	p.BlockSize = vecDefaultBlockSize
	return nil
}

// vecTypeNames and vecMetricNames are TYPE's and DISTANCE_METRIC's values
// in the order of vecsim.ElemType and vecsim.Metric (from 1).
var (
	vecTypeNames   = []string{"FLOAT32", "FLOAT64", "BFLOAT16", "FLOAT16", "INT8", "UINT8"}
	vecMetricNames = []string{"L2", "IP", "COSINE"}
)

// getEnum reads one of names (any case) and returns its position.
func (c *argCursor) getEnum(names []string) (int, acStatus) {
	if c.done() {
		return 0, acErrNoArg
	}
	a := c.next()
	for i, n := range names {
		if resp.EqualFold(a, n) {
			return i, acOK
		}
	}
	return 0, acErrENoEnt
}

// getSize is the module's AC_GetSize: a non-negative integer (at least 1
// with ge1), or an integral double ("4.0", "1e3"); the cursor moves on
// only when the value is good. FT.CREATE's arguments are C strings
// (strtoll, then strtod), FT.ALTER's Redis strings (string2ll, then
// string2d): the same inputs do not always parse alike.
func (c *argCursor) getSize(ge1 bool) (uint64, acStatus) {
	if c.done() {
		return 0, acErrNoArg
	}
	a := c.peek()
	var v int64
	var ok bool
	if c.cstr {
		v, ok = cStrtoll(string(a))
	} else {
		v, ok = resp.ParseInt(a)
	}
	if !ok {
		// tryReadAsDouble: the double must pass the same bounds, else
		// the argument does not convert at all.
		d, st := c.double(a, true, ge1)
		if st != acOK || !(d >= math.MinInt64 && d < math.MaxInt64) || float64(int64(d)) != d {
			return 0, acErrParse
		}
		v = int64(d)
	}
	if v < 0 || (ge1 && v < 1) {
		return 0, acErrELimit
	}
	c.i++
	return uint64(v), acOK
}

// getDouble is the module's AC_GetDouble with AC_F_GE0.
func (c *argCursor) getDouble() (float64, acStatus) {
	if c.done() {
		return 0, acErrNoArg
	}
	d, st := c.double(c.peek(), true, false)
	if st == acOK {
		c.i++
	}
	return d, st
}

// double parses a double argument with AC_GetDouble's bounds.
func (c *argCursor) double(a []byte, ge0, ge1 bool) (float64, acStatus) {
	var d float64
	var ok bool
	if c.cstr {
		d, ok = cStrtod(string(a))
	} else {
		d, ok = strtod.ParseFloat(a)
	}
	if !ok {
		return 0, acErrParse
	}
	if (ge0 && d < 0) || (ge1 && d < 1) {
		return 0, acErrELimit
	}
	return d, acOK
}

// cIsSpace is C's isspace in the C locale.
func cIsSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

// cStrtoll is the module's strtoll(s, &end, 10) check: the whole string is
// the number (leading spaces and a sign allowed; the empty string is 0),
// and a saturated result (LLONG_MIN, LLONG_MAX) is refused.
func cStrtoll(s string) (int64, bool) {
	i := 0
	for i < len(s) && cIsSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == start {
		// No digits: strtoll ends where it began, at the end only for "".
		return 0, s == ""
	}
	if i != len(s) {
		return 0, false
	}
	v, err := strconv.ParseInt(s[start:i], 10, 64)
	if err != nil {
		return 0, false // out of range: saturated
	}
	if neg {
		v = -v
	}
	if v == math.MaxInt64 || v == math.MinInt64 {
		return 0, false
	}
	return v, true
}

// cStrtod is the module's strtod(s, &end) check for C-string arguments:
// the whole string is the number (leading spaces allowed; the empty string
// is 0); ±HUGE_VAL (overflow, "inf") is refused, NaN and underflow are not.
func cStrtod(s string) (float64, bool) {
	if s == "" {
		return 0, true
	}
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	body := t
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	lower := strings.ToLower(body)
	switch {
	case body == "":
		return 0, false
	case lower == "inf" || lower == "infinity":
		return 0, false
	case lower == "nan" || (strings.HasPrefix(lower, "nan(") && strings.HasSuffix(lower, ")") && isNanChars(lower[4:len(lower)-1])):
		return math.NaN(), true
	case strings.ContainsRune(lower, '_'):
		// strconv reads underscores in prefixed numbers; strtod never.
		return 0, false
	}
	if f, ok := strtod.ParseFloat([]byte(t)); ok {
		return f, !math.IsInf(f, 0)
	}
	// strtod.ParseFloat refuses a non-zero number that underflows to zero
	// (Redis' rule); C's strtod returns it, as 0, and the module takes it.
	hex := strings.HasPrefix(lower, "0x")
	if hex && !strings.Contains(lower, "p") {
		t += "p0"
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && f == 0 {
		return f, true
	}
	return 0, false
}

// isNanChars reports whether s is a NAN(n-char-sequence) payload.
func isNanChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}
