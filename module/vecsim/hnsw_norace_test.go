//go:build !race

package vecsim

const raceOn = false
