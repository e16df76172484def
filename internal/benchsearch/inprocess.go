package benchsearch

import (
	"io"

	"github.com/miniredis-search/miniredis-search/server"
)

// StartInProcess starts our server with the search module on a free
// loopback port, quiet and without persistence.
func StartInProcess() (*server.Server, error) {
	return server.Start(server.Options{
		Config:    []string{"bind 127.0.0.1", "port 0", `save ""`, "appendonly no"},
		Modules:   []server.Module{searchModule()},
		LogOutput: io.Discard,
	})
}
