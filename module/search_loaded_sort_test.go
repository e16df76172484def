package module

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/miniredis-search/miniredis-search/internal/testutil"
	"github.com/miniredis-search/miniredis-search/server"
)

// SORTBY a field that is not SORTABLE reads its values from the keyspace.
// On a worker that must happen under the main-thread lock, with the index
// let go (the module's safe loader): run under -race while another client
// writes, the query must see no data race, and answer what the main thread
// answers.
func TestSortByLoadedFieldOnWorkers(t *testing.T) {
	m := New()
	s := server.RunT(t, server.Options{Modules: []server.Module{m}})
	c := testutil.Dial(t, s.Addr())
	testutil.MustDo(t, c, "FT.CREATE", "idx", "PREFIX", "1", "d:", "SCHEMA", "t", "TEXT", "n", "NUMERIC", testutil.OK)
	// No timeout: on a loaded machine a query over 2000 documents can pass
	// 500 ms, and what is checked here is the reply, not the timeout.
	testutil.MustDo(t, c, "FT.CONFIG", "SET", "TIMEOUT", "0", testutil.OK)
	const n = 2000
	for i := 0; i < n; i++ {
		// n descends with the id: SORTBY n ASC reverses the ids.
		testutil.MustDo(t, c, "HSET", "d:"+strconv.Itoa(i), "t", "hello", "n", strconv.Itoa(n-i), testutil.Int(2))
	}
	query := []string{"FT.SEARCH", "idx", "hello", "SORTBY", "n", "LIMIT", "0", "3", "WITHSCORES", "SCORER", "TFIDF"}
	inline := string(c.Do(query...).Raw)
	// The first page, by hand: 2000 matches, then the three largest ids (n =
	// 1, 2, 3), each with its score and fields: 1 + 3*3 elements.
	if want := "*10\r\n:2000\r\n$6\r\nd:1999\r\n"; len(inline) < len(want) || inline[:len(want)] != want {
		t.Fatalf("inline: %q", inline)
	}
	testutil.MustDo(t, c, "CONFIG", "SET", "search-workers", "2", testutil.OK)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w := testutil.Dial(t, s.Addr())
		for i := 0; i < 3000; i++ {
			w.Do("HSET", "other:"+strconv.Itoa(i), "a", "b")
		}
	}()
	for i := 0; i < 100; i++ {
		if got := string(c.Do(query...).Raw); got != inline {
			t.Fatalf("on the workers: %q, inline %q", got, inline)
		}
	}
	wg.Wait()
	// A job counts as done once it returns, just after its reply is
	// written: the last one may still be returning when its reply arrives.
	deadline := time.Now().Add(10 * time.Second)
	for m.workers.stats().totalJobsDone < 100 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if done := m.workers.stats().totalJobsDone; done < 100 {
		t.Fatalf("the workers ran %d jobs for 100 queries", done)
	}
}
