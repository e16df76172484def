package query

import (
	"math"
	"strconv"
	"strings"
)

// Vector clauses (DIALECT ≥ 2): what the parser builds for
// `…=>[KNN k @v $blob …]` and `@v:[VECTOR_RANGE r $blob]`, and the checks
// the module makes on them, each where the module makes it:
//
//   - while parsing (src/query_parser/v2/parser.y): the grammar's syntax
//     errors, "KNN"/"VECTOR_RANGE" spelled otherwise, the attribute block's
//     errors (QueryNode_ApplyAttribute in src/query.c);
//   - resolving the parameters after parsing (QAST_EvalParams: the node's
//     blob, K or radius and `AS $alias`, then the vector attributes written
//     as `NAME $param`): "No such parameter", "Invalid numeric value";
//   - evaluating the KNN node (Query_EvalVectorNode): "Distance field was
//     specified twice", which Parse reports last;
//   - building the iterator (NewVectorIterator in src/vector_index.c), which
//     needs the field: Resolve.

// maxKNNK is MAX_KNN_K (src/config.h): the largest K a query may ask for.
const maxKNNK = 1 << 58

// vecQuery is a KNN clause while it is parsed: the node and what is resolved
// once the whole clause is known.
type vecQuery struct {
	knn   *VectorKNN
	k     paramTerm // SIZE literal or $param
	alias *paramTerm
	raw   []rawVecParam
}

// rawVecParam is `NAME value` inside [KNN …]; a $param value is resolved
// after parsing, as VectorQuery_ParamResolve does.
type rawVecParam struct {
	name    string
	value   string
	isParam bool
}

// vectorCommand is `TERM param_size modifier ATTRIBUTE`: the TERM must be
// KNN (any case), else the module reports "Syntax error: Expecting Vector
// Similarity command" at the TERM.
func (ps *parseState) vectorCommand(cmd token, k paramTerm, field, blob token) (*vecQuery, error) {
	if !strings.EqualFold(cmd.text, "KNN") {
		return nil, reportSyntaxError(cmd, "Syntax error: Expecting Vector Similarity command")
	}
	knn := &VectorKNN{Base: Base{DefaultAttrs()}, Field: field.text, BlobParam: blob.text, ShardKRatio: 1}
	return &vecQuery{knn: knn, k: k}, nil
}

// vectorRangeCommand is `TERM param_num ATTRIBUTE`; its parameters (blob
// first, then the radius) are resolved here, the node being a leaf.
func (ps *parseState) vectorRangeCommand(cmd token, radius numVal, blob token) (*VectorRange, error) {
	if !strings.EqualFold(cmd.text, "VECTOR_RANGE") {
		return nil, reportSyntaxError(cmd, "Syntax error: expecting vector similarity range command")
	}
	r := &VectorRange{Base: Base{DefaultAttrs()}, BlobParam: blob.text}
	r.Blob = ps.param(blob.text)
	r.Radius = ps.resolveNum(radius)
	return r, nil
}

// reportSyntaxError is the parser's reportSyntaxError: "<msg> at offset N
// near T" when the token is typed as a term, without "near" otherwise.
func reportSyntaxError(tok token, msg string) *Error {
	if tok.notTerm {
		return newError("%s at offset %d", msg, tok.pos)
	}
	return newError("%s at offset %d near %s", msg, tok.pos, tok.text)
}

// finishKNN is the `query ::= … ARROW LSQB vector_query RSQB [ARROW LB
// attribute_list RB]` action: the attribute block applies to the KNN node,
// then its parameters are resolved, before the filter's (the module resolves
// a node's parameters before its children's).
func (ps *parseState) finishKNN(filter Node, vq *vecQuery, attrs []attribute) (*VectorKNN, error) {
	knn := vq.knn
	if len(attrs) > 0 {
		if err := applyAttributes(knn, attrs); err != nil {
			return nil, err
		}
	}
	filterErr := ps.deferred
	ps.deferred = nil

	knn.Blob = ps.param(knn.BlobParam)
	if vq.k.isParam {
		knn.K = ps.resolveSize(vq.k.tok.text)
	} else {
		knn.K = sizeOf(vq.k.tok.num)
	}
	if vq.alias != nil {
		if vq.alias.isParam {
			knn.ScoreAlias = ps.param(vq.alias.tok.text)
		} else {
			knn.ScoreAlias = vq.alias.tok.text
		}
	}
	inline := make([]VectorParam, 0, len(vq.raw)+len(knn.Params))
	for _, p := range vq.raw {
		v := p.value
		if p.isParam {
			v = ps.param(p.value)
		}
		inline = append(inline, VectorParam{Name: p.name, Value: v})
	}
	knn.Params = append(inline, knn.Params...)

	if ps.deferred == nil {
		ps.deferred = filterErr
	}
	knn.Filter = filter

	// Query_EvalVectorNode: a $YIELD_DISTANCE_AS replaces the default
	// distance field, but not one named by AS.
	if knn.hasYield {
		if cur := knn.ScoreField(); !strings.EqualFold(cur, defaultScoreField(knn.Field)) && ps.evalErr == nil &&
			ps.vectorFieldEvaluated(knn.Field) {
			ps.evalErr = newError("Distance field was specified twice for vector query: %s and %s", cur, knn.yieldAs)
		}
		knn.ScoreAlias = knn.yieldAs
	}
	return knn, nil
}

// vectorFieldEvaluated says whether the module gets as far as evaluating a
// vector clause on the field: 2.10 answers [0] for an unknown or non-vector
// field before any evaluation-time check; 8.2 rejects an unknown field while
// parsing (checkField).
func (ps *parseState) vectorFieldEvaluated(field string) bool {
	if !ps.opts.Compat210 || ps.opts.Schema == nil {
		return true
	}
	fi, ok := ps.opts.Schema.Field(field)
	return ok && fi.Type == VectorField
}

// resolveSize resolves a $param standing for a size (KNN's K): the
// module's ParseInteger (strtoll, base 10, the whole value) and ≥ 0.
func (ps *parseState) resolveSize(name string) int {
	s := ps.param(name)
	if _, ok := ps.opts.Params[name]; !ok {
		return 0
	}
	n, ok := parseCInteger(s, 10)
	if !ok || n < 0 {
		ps.defer_(newError("Invalid numeric value (%s) for parameter `%s`", s, name))
		return 0
	}
	return int(n)
}

// sizeOf converts a SIZE token's value as C's (size_t) cast of a double
// does on x86-64 for the values it can hold, saturating above.
func sizeOf(f float64) int {
	if f >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int(f)
}

// applyVectorAttribute handles the attributes only vector nodes take
// (QueryNode_ApplyAttribute, QueryVectorNode_ApplyAttribute): it reports
// whether the name is one of them, and the error of a bad value.
func applyVectorAttribute(n Node, at attribute) (bool, error) {
	name := strings.ToLower(at.name)
	switch x := n.(type) {
	case *VectorKNN:
		switch name {
		case "yield_distance_as":
			x.yieldAs, x.hasYield = at.value, true
			return true, nil
		case "shard_k_ratio":
			r, err := shardKRatio(at.value)
			if err != nil {
				return true, err
			}
			x.ShardKRatio = r
			return true, nil
		case "ef_runtime", "epsilon", "hybrid_policy", "batch_size":
			x.Params = append(x.Params, VectorParam{Name: at.name, Value: at.value})
			return true, nil
		}
	case *VectorRange:
		switch name {
		case "yield_distance_as":
			x.ScoreAlias = at.value
			return true, nil
		case "shard_k_ratio":
			// Accepted on any vector node; it only matters for KNN.
			_, err := shardKRatio(at.value)
			return true, err
		case "ef_runtime", "epsilon", "hybrid_policy", "batch_size":
			x.Params = append(x.Params, VectorParam{Name: at.name, Value: at.value})
			return true, nil
		}
	}
	return false, nil
}

// shardKRatio is ValidateShardKRatio (src/query.c): a double in (0, 1].
func shardKRatio(s string) (float64, error) {
	r, ok := parseCDouble(s)
	if !ok {
		return 0, newError("Invalid shard k ratio value '%s'", s)
	}
	if r <= 0 || r > 1 {
		return 0, newError("Invalid shard k ratio value: Shard k ratio must be greater than %s and at most %s (got %s)",
			formatG(0), formatG(1), formatG(r))
	}
	return r, nil
}

// The messages of VecSim_ResolveQueryParams (src/vector_index.c): the
// vector library's resolve code, named by the module's QueryError_Strerror.
// 2.10 and 8.2 word them alike.
func vecParamError(msg string) *Error {
	return newError("Error parsing vector similarity parameters: %s", msg)
}

const (
	errVecNoOption   = "Invalid option"
	errVecBadValue   = "Invalid value was given"
	errVecDupParam   = "Parameter was specified twice"
	errVecNonHybrid  = "hybrid query attributes were sent for a non-hybrid query"
	errVecBadPolicy  = "invalid hybrid policy was given"
	errVecAdhocBatch = "'batch size' is irrelevant for 'ADHOC_BF' policy"
	errVecAdhocEF    = "'EF_RUNTIME' is irrelevant for 'ADHOC_BF' policy"
	errVecNonRange   = "range query attributes were sent for a non-range query"
)

// vecQueryType is the vector library's query type.
type vecQueryType uint8

const (
	vecKNN vecQueryType = iota
	vecHybrid
	vecRange
)

// vecRuntime is what VecSimIndex_ResolveParams fills in.
type vecRuntime struct {
	efRuntime        int
	epsilon          float64
	batchSize        int
	policy           string
	wsSearch         int
	useSearchHistory string
}

// resolveVectorParams is VecSimIndex_ResolveParams (RedisAI/VectorSimilarity
// src/VecSim/vec_sim.cpp): each parameter in order, the first error wins;
// then the two ADHOC_BF combinations.
func resolveVectorParams(params []VectorParam, algo VectorAlgo, qt vecQueryType) (vecRuntime, error) {
	var rt vecRuntime
	for _, p := range params {
		switch strings.ToUpper(p.Name) {
		case "EF_RUNTIME":
			if algo != VectorHNSW || qt == vecRange {
				return rt, vecParamError(errVecNoOption)
			}
			if rt.efRuntime != 0 {
				return rt, vecParamError(errVecDupParam)
			}
			n, ok := positiveInteger(p.Value)
			if !ok {
				return rt, vecParamError(errVecBadValue)
			}
			rt.efRuntime = n
		case "EPSILON":
			if algo != VectorHNSW && algo != VectorSVS {
				return rt, vecParamError(errVecNoOption)
			}
			if qt != vecRange {
				return rt, vecParamError(errVecNonRange)
			}
			if rt.epsilon != 0 {
				return rt, vecParamError(errVecDupParam)
			}
			f, ok := positiveDouble(p.Value)
			if !ok {
				return rt, vecParamError(errVecBadValue)
			}
			rt.epsilon = f
		case "BATCH_SIZE":
			if qt != vecHybrid {
				return rt, vecParamError(errVecNonHybrid)
			}
			if rt.batchSize != 0 {
				return rt, vecParamError(errVecDupParam)
			}
			n, ok := positiveInteger(p.Value)
			if !ok {
				return rt, vecParamError(errVecBadValue)
			}
			rt.batchSize = n
		case "HYBRID_POLICY":
			if qt != vecHybrid {
				return rt, vecParamError(errVecNonHybrid)
			}
			if rt.policy != "" {
				return rt, vecParamError(errVecDupParam)
			}
			switch strings.ToUpper(p.Value) {
			case "BATCHES", "ADHOC_BF":
				rt.policy = strings.ToUpper(p.Value)
			default:
				return rt, vecParamError(errVecBadPolicy)
			}
		case "WS_SEARCH":
			if algo != VectorSVS {
				return rt, vecParamError(errVecNoOption)
			}
			if rt.wsSearch != 0 {
				return rt, vecParamError(errVecDupParam)
			}
			n, ok := positiveInteger(p.Value)
			if !ok {
				return rt, vecParamError(errVecBadValue)
			}
			rt.wsSearch = n
		case "USE_SEARCH_HISTORY":
			if algo != VectorSVS {
				return rt, vecParamError(errVecNoOption)
			}
			if rt.useSearchHistory != "" {
				return rt, vecParamError(errVecDupParam)
			}
			switch v := strings.ToUpper(p.Value); v {
			case "ON", "OFF", "AUTO":
				rt.useSearchHistory = v
			default:
				return rt, vecParamError(errVecBadValue)
			}
		default:
			return rt, vecParamError(errVecNoOption)
		}
	}
	if rt.policy == "ADHOC_BF" && rt.batchSize > 0 {
		return rt, vecParamError(errVecAdhocBatch)
	}
	if rt.policy == "ADHOC_BF" && algo == VectorHNSW && rt.efRuntime > 0 {
		return rt, vecParamError(errVecAdhocEF)
	}
	return rt, nil
}

// Resolve makes the checks the module makes on a KNN clause when it builds
// the iterator (NewVectorIterator), after the query blob's size matched the
// field's: the query-time parameters against the field's algorithm
// (EF_RUNTIME on FLAT is "Invalid option", HYBRID_POLICY without a filter is
// an error, …), then K's upper bound. On success it fills the runtime fields
// from Params.
//
// It is the engine's to call, in the module's order: only for a VECTOR
// field (the module answers [0] for any other field, without an error); for
// a hybrid query only once the filter has matched something (the module
// evaluates the filter first and answers [0] when it matches nothing,
// whatever the clause's parameters); and after its own check of the blob's
// size ("Error parsing vector similarity query: query vector blob size (N)
// does not match index's expected size (M).").
func (v *VectorKNN) Resolve(algo VectorAlgo) error {
	qt := vecKNN
	if v.Hybrid() {
		qt = vecHybrid
	}
	rt, err := resolveVectorParams(v.Params, algo, qt)
	if err != nil {
		return err
	}
	if v.K > maxKNNK {
		return newError("Error parsing vector similarity query: query KNN K parameter is too large, must not exceed %d", maxKNNK)
	}
	v.EFRuntime, v.HasEFRuntime = rt.efRuntime, rt.efRuntime > 0
	v.Epsilon, v.HasEpsilon = rt.epsilon, rt.epsilon > 0
	v.HybridPolicy = rt.policy
	v.BatchSize, v.HasBatchSize = rt.batchSize, rt.batchSize > 0
	v.WSSearch, v.HasWSSearch = rt.wsSearch, rt.wsSearch > 0
	v.UseSearchHistory = rt.useSearchHistory
	return nil
}

// Resolve makes the checks the module makes on a VECTOR_RANGE clause when
// it builds the iterator, after the blob's size matched the field's (the
// engine's check, as for VectorKNN.Resolve): a negative radius, then the
// query-time parameters (only EPSILON is valid, on HNSW and SVS-VAMANA
// fields). As for VectorKNN.Resolve, only for a VECTOR field.
func (v *VectorRange) Resolve(algo VectorAlgo) error {
	if v.Radius < 0 {
		return newError("Error parsing vector similarity query: negative radius (%s) given in a range query", formatG(v.Radius))
	}
	rt, err := resolveVectorParams(v.Params, algo, vecRange)
	if err != nil {
		return err
	}
	v.Epsilon, v.HasEpsilon = rt.epsilon, rt.epsilon > 0
	return nil
}

// positiveInteger is the vector library's validate_positive_integer_param:
// strtoll with base 0 (so 0x10 and 010 are numbers) over the whole value,
// above 0 and below LLONG_MAX.
func positiveInteger(s string) (int, bool) {
	n, ok := parseCInteger(s, 0)
	if !ok || n <= 0 || n == math.MaxInt64 {
		return 0, false
	}
	return int(n), true
}

// positiveDouble is validate_positive_double_param: strtod over the whole
// value, above 0 and not DBL_MAX (NaN passes, as it does there).
func positiveDouble(s string) (float64, bool) {
	f, ok := parseCDouble(s)
	if !ok || f <= 0 || f == math.MaxFloat64 {
		return 0, false
	}
	return f, true
}

// parseCInteger is strtoll(s, &end, base) required to read all of s without
// overflow: leading white space and a sign are allowed; the empty string is
// 0 (glibc reports no error for it).
func parseCInteger(s string, base int) (int64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	body := s[i:]
	if body == "" {
		return 0, i == 0 // strtoll("  ") consumes nothing: end ≠ s+len
	}
	neg := false
	digits := body
	if digits[0] == '+' || digits[0] == '-' {
		neg = digits[0] == '-'
		digits = digits[1:]
	}
	b := base
	if base == 0 {
		switch {
		case len(digits) > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') && isHexDigit(digits[2]):
			b, digits = 16, digits[2:]
		case len(digits) > 1 && digits[0] == '0':
			b, digits = 8, digits[1:]
		default:
			b = 10
		}
	}
	if digits == "" {
		return 0, false
	}
	u, err := strconv.ParseUint(digits, b, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

func isHexDigit(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// parseCDouble is strtod(s, &end) required to read all of s, without
// overflow or underflow (errno): leading white space, inf, infinity, nan and
// hexadecimal forms are allowed.
func parseCDouble(s string) (float64, bool) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	body := s[i:]
	if body == "" || strings.Contains(body, "_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(body, 64)
	if err == nil {
		return f, true
	}
	// strtod reads a hexadecimal mantissa without a binary exponent.
	m := body
	if m[0] == '+' || m[0] == '-' {
		m = m[1:]
	}
	if len(m) > 2 && m[0] == '0' && (m[1] == 'x' || m[1] == 'X') && !strings.ContainsAny(m, "pP") {
		if f, err := strconv.ParseFloat(body+"p0", 64); err == nil {
			return f, true
		}
	}
	return 0, false
}
