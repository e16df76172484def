// Temporary server for the highlight work; to be deleted.
package main

import (
	"io"
	"os"
	"os/signal"

	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

func main() {
	_, err := server.Start(server.Options{Config: []string{"bind 127.0.0.1", "port 7390"}, Modules: []server.Module{module.New()}, LogOutput: io.Discard})
	if err != nil {
		panic(err)
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt)
	<-c
}
