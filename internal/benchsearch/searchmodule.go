package benchsearch

import (
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/server"
)

// searchModule is the one place that names the search module.
func searchModule() server.Module { return module.New() }
