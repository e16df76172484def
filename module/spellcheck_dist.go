package module

import (
	"fmt"

	"github.com/miniredis-search/miniredis-search/module/trie"
	"github.com/miniredis-search/miniredis-search/resp"
	"github.com/tidwall/redcon"
)

// FT.SPELLCHECK in a cluster (SpellCheckCommandHandler, src/module.c, and
// src/coord/cluster_spell_check.c). The coordinator checks the index, then
// sends every shard `_FT.SPELLCHECK` with the user's arguments and
// FULLSCOREINFO inserted after the query. Each shard answers its document
// count, its raw scores (documents holding each suggestion; 0 for a
// dictionary word no document holds) and the words its index holds. The
// coordinator drops every word some shard holds, adds the scores of a
// suggestion over the shards (a 0 stays 0) and divides them by the total
// document count. Words come in the order the replies list them (the
// module takes the replies as they arrive; here, in the cluster's node
// order), and suggestions of equal scores in the order they were first
// met, as in the module's suggestion trie.

// SpellCheckShardArgs are the arguments of the `_FT.SPELLCHECK` each shard
// gets (args[0] is the command).
func SpellCheckShardArgs(args [][]byte) [][]byte {
	out := make([][]byte, 0, len(args)+1)
	out = append(out, args[:3]...)
	out = append(out, []byte("FULLSCOREINFO"))
	return append(out, args[3:]...)
}

// mergeTerm is a word of the merged answer.
type mergeTerm struct {
	term  string
	found bool
	sugs  *trie.Trie
}

// WriteSpellCheckMerged writes the merged reply of the shards' RESP2
// `_FT.SPELLCHECK … FULLSCOREINFO` replies in the client's protocol
// (spellCheckReducer_resp2 / _resp3), or the error the module answers for
// a shard's error or a malformed reply.
func WriteSpellCheckMerged(w *resp.Writer, replies []redcon.RESP) {
	if len(replies) == 0 {
		w.Error("Could not distribute command")
		return
	}
	total := 0
	for _, r := range replies {
		switch {
		case r.Type == redcon.Error:
			w.Error(r.String())
			return
		case r.Type != redcon.Array:
			w.Error(fmt.Sprintf("wrong reply type. Expected array. Got %d", mrReplyType(r)))
			return
		}
		elems := elemsOf(r)
		if len(elems) == 0 || elems[0].Type != redcon.Integer {
			t := 0
			if len(elems) > 0 {
				t = mrReplyType(elems[0])
			}
			w.Error(fmt.Sprintf("Expected first reply as integer. Have %d", t))
			return
		}
		total += int(elems[0].Int())
	}
	var terms []*mergeTerm
	get := func(term string) *mergeTerm {
		for _, t := range terms {
			if t.term == term {
				return t
			}
		}
		t := &mergeTerm{term: term, sugs: trie.New(trie.SortScore)}
		terms = append(terms, t)
		return t
	}
	for _, r := range replies {
		for _, e := range elemsOf(r)[1:] {
			if e.Type != redcon.Array {
				w.Error("bad reply returned")
				return
			}
			if !mergeShardTerm(e, get) {
				w.Error("could not analyze term result")
				return
			}
		}
	}
	var out []spellTerm
	for _, t := range terms {
		if t.found {
			continue
		}
		st := spellTerm{term: t.term}
		t.sugs.Each(func(r []trie.Rune, score float32, _ string) bool {
			st.sugs = append(st.sugs, spellSuggestion{str: trie.String(r), score: float64(score)})
			return true
		})
		sortSuggestions(st.sugs)
		out = append(out, st)
	}
	writeSpellCheck(w, out, total, false)
}

// mergeShardTerm is spellCheckAnalyzeResult_resp2: [TERM, term, answer].
func mergeShardTerm(e redcon.RESP, get func(string) *mergeTerm) bool {
	a := elemsOf(e)
	if len(a) != 3 || a[0].String() != spellTermConst {
		return false
	}
	term := a[1].String()
	switch a[2].Type {
	case redcon.Bulk, redcon.String:
		if a[2].String() == spellFoundInIdx {
			get(term).found = true
		}
		return true
	case redcon.Array:
	default:
		return false
	}
	sugs := elemsOf(a[2])
	for _, s := range sugs {
		pair := elemsOf(s)
		if s.Type != redcon.Array || len(pair) != 2 || pair[0].Type != redcon.Bulk || pair[1].Type != redcon.Bulk {
			return false
		}
		score, ok := resp.ParseFloat([]byte(pair[0].String()))
		if !ok {
			return false
		}
		addSuggestion(get(term).sugs, pair[1].String(), score, true)
	}
	if len(sugs) == 0 {
		get(term)
	}
	return true
}

// mrReplyType is the module's MRReply type number of a reply, for its
// messages (hiredis' REDIS_REPLY_* values).
func mrReplyType(r redcon.RESP) int {
	switch r.Type {
	case redcon.Bulk:
		return 1
	case redcon.Array:
		return 2
	case redcon.Integer:
		return 3
	case redcon.String:
		return 5
	case redcon.Error:
		return 6
	}
	return 0
}

// elemsOf lists an array reply's elements.
func elemsOf(r redcon.RESP) []redcon.RESP {
	var out []redcon.RESP
	r.ForEach(func(e redcon.RESP) bool { out = append(out, e); return true })
	return out
}
