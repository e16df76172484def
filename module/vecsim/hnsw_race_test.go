//go:build race

package vecsim

// raceOn: the race detector slows the graph builds about tenfold; the
// larger tests build smaller corpora under it.
const raceOn = true
