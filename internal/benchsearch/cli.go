package benchsearch

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

// Reporter is a benchmark's report: printed, then its query errors.
type Reporter interface {
	Print(w io.Writer)
	Errs() error
}

// Main is the body of a benchmark command, after flag.Parse: it runs the
// benchmark until done or interrupted, progress on stderr, prints the
// report on stdout, and exits 1 when the run or any query failed (2 on
// unexpected arguments).
func Main(name string, run func(ctx context.Context, progress io.Writer) (Reporter, error)) {
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unexpected arguments %q\n", name, flag.Args())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	rep, err := run(ctx, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	rep.Print(os.Stdout)
	if rep.Errs() != nil {
		os.Exit(1)
	}
}
