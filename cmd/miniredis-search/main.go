// Command miniredis-search runs a Redis shard with the search module, or a
// whole cluster of them.
//
//	miniredis-search [serve] [/path/to/redis.conf] [--port 6380] [--requirepass x] [--loglevel notice] ...
//	miniredis-search cluster --shards 3 --port 30001 [--search-workers 4 ...]
//
// Options are those of redis-server: a config file first, then "--name
// value..." directives that override it.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/miniredis-search/miniredis-search/coord"
	"github.com/miniredis-search/miniredis-search/module"
	"github.com/miniredis-search/miniredis-search/rejson"
	"github.com/miniredis-search/miniredis-search/server"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			args = args[1:]
		case "cluster":
			return runCluster(args[1:], stdout, stderr)
		case "-v", "--version", "version":
			fmt.Fprintf(stdout, "miniredis-search v=%s redis_version=%s go=%s\n", server.ModuleVersionString, server.Version, runtime.Version())
			return 0
		case "-h", "--help", "help":
			usage(stdout)
			return 0
		}
	}
	opts, err := parseServeArgs(args)
	if err != nil {
		fmt.Fprintln(stderr, err)
		usage(stderr)
		return 1
	}
	return serve(opts, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: miniredis-search [serve] [/path/to/redis.conf] [options]
       miniredis-search cluster [--shards 3] [--port 30001] [--host 127.0.0.1] [options]
       miniredis-search -v or --version
       miniredis-search -h or --help

Options are configuration directives, as redis-server takes them:
       miniredis-search --port 6380 --requirepass secret --loglevel verbose
       miniredis-search /etc/redis/6379.conf --port 7777

Defaults: bind 127.0.0.1, port 6379, protected-mode yes, loglevel notice.

"cluster" runs a whole cluster in one process: --shards shards on consecutive
ports from --port, splitting the 16384 slots; options after the flags apply
to every shard. A shard of a cluster in separate processes takes
--cluster-enabled yes --cluster-nodes "host:port host:port ..." (every shard,
itself included, optionally with =start-end slot ranges).
`)
}

// parseServeArgs reads "[configfile] [--name value...]..." into server
// options, as redis-server reads its command line.
func parseServeArgs(args []string) (server.Options, error) {
	opts := server.Options{ManageGOMAXPROCS: true}
	if len(args) > 0 && !strings.HasPrefix(args[0], "--") {
		opts.ConfigFile = args[0]
		args = args[1:]
	}
	var name string
	var values []string
	flush := func() {
		if name != "" {
			opts.Config = append(opts.Config, server.DirectiveLine(name, values...))
		}
		name, values = "", nil
	}
	for _, a := range args {
		if strings.HasPrefix(a, "--") && len(a) > 2 {
			flush()
			name = a[2:]
			continue
		}
		if name == "" {
			return opts, fmt.Errorf("unexpected argument %q: options are --name value", a)
		}
		values = append(values, a)
	}
	flush()
	if opts.ConfigFile == "-" {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return opts, err
		}
		opts.ConfigFile = ""
		opts.Config = append(strings.Split(string(data), "\n"), opts.Config...)
	}
	return opts, nil
}

// newSearchModule is the search module with its coordinator, which works
// in cluster mode.
func newSearchModule() *module.Module {
	m := module.New()
	coord.Attach(m)
	return m
}

// reportStartError prints why a shard did not start: a configuration error
// in redis-server's words, anything else as it is.
func reportStartError(stderr io.Writer, err error) {
	var ce *server.ConfigError
	if errors.As(err, &ce) {
		fmt.Fprintln(stderr, ce.Error())
	} else {
		fmt.Fprintln(stderr, err)
	}
}

func serve(opts server.Options, stderr io.Writer) int {
	// The shard hosts the search and JSON modules, as a Redis 8 shard does.
	opts.Modules = append(opts.Modules, newSearchModule(), rejson.New())
	s, err := server.Start(opts)
	if err != nil {
		reportStartError(stderr, err)
		return 1
	}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	select {
	case sig := <-sigs:
		name := "SIGTERM"
		if sig == syscall.SIGINT {
			name = "SIGINT"
		}
		s.Logger().Warn("Received " + name + " scheduling shutdown...")
		s.Close()
	case <-s.Done():
	}
	return 0
}
