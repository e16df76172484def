package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
)

// runCluster runs a whole cluster in this process: --shards shards on
// consecutive ports from --port, each with the search module, splitting the
// slots as redis-cli --cluster create does. Directives after the flags
// ("--search-workers 4") apply to every shard.
func runCluster(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	shards := fs.Int("shards", 3, "number of shards")
	port := fs.Int("port", 30001, "port of the first shard; the others follow")
	host := fs.String("host", "127.0.0.1", "address every shard binds and announces")
	var rest []string
	for i, a := range args {
		// The flags of this subcommand come first; what follows are
		// directives for the shards.
		if strings.HasPrefix(a, "--") && !isClusterFlag(a) {
			rest = args[i:]
			args = args[:i]
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *shards < 1 || *port < 1 || *port+*shards-1 > 65535 {
		fmt.Fprintln(stderr, "cluster: --shards must be at least 1 and the ports must fit under 65536")
		return 2
	}
	shardOpts, err := parseServeArgs(rest)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var nodes []string
	for i := 0; i < *shards; i++ {
		nodes = append(nodes, fmt.Sprintf("%s:%d", *host, *port+i))
	}
	var running []*server.Server
	closeAll := func() {
		for _, s := range running {
			s.Close()
		}
	}
	for i := 0; i < *shards; i++ {
		opts := shardOpts
		opts.Config = append([]string{
			"bind " + *host,
			"port " + strconv.Itoa(*port+i),
			"cluster-enabled yes",
			server.DirectiveLine("cluster-nodes", strings.Join(nodes, " ")),
		}, shardOpts.Config...)
		opts.Modules = []server.Module{newSearchModule(), rejson.New()}
		// Several shards share the process: none owns GOMAXPROCS.
		opts.ManageGOMAXPROCS = false
		s, err := server.Start(opts)
		if err != nil {
			reportStartError(stderr, err)
			closeAll()
			return 1
		}
		running = append(running, s)
	}
	fmt.Fprintf(stdout, "cluster of %d shards: %s\n", *shards, strings.Join(nodes, " "))
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{}, len(running))
	for _, s := range running {
		go func(s *server.Server) { <-s.Done(); done <- struct{}{} }(s)
	}
	select {
	case <-sigs:
	case <-done: // one shard was shut down (SHUTDOWN): the cluster stops
	}
	closeAll()
	return 0
}

func isClusterFlag(a string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
	return name == "shards" || name == "port" || name == "host"
}
