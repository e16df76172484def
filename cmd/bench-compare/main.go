// Command bench-compare is the search benchmarks' regression guard: it runs
// ../shared/tools/searchbench (the tool the issues' figures come from) at a
// small size against our binary, each run on a fresh shard started on a
// free port with --save "", and prints every figure beside a committed
// baseline (bench/baseline-compare.json): text load docs/s and bytes/doc,
// each query kind's QPS, p99 and server CPU per op, and with -vectors a
// small HNSW run's figures and recall. A figure worse than the baseline by
// more than its kind's tolerance (compare.go) is flagged WORSE.
// BENCH_COMPARE_UPDATE=1 (or -update) writes the run as the new baseline,
// with the machine it ran on and the date. `make bench-compare` builds both
// binaries and runs it.
//
// It is a Go command rather than a script because the figures come from
// searchbench's JSON report, which the comparison reads with the same
// field names (and a table test checks against a real run's report), and
// because the shard's lifetime is simplest to hold in one process: it is
// killed on every return path and on SIGINT/SIGTERM.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"
)

type options struct {
	bin, searchbench, baseline string
	docs, clients, runs        int
	duration                   time.Duration
	vectors                    bool
	vecDocs                    int
	update, strict             bool
	note                       string
}

// settings are the searchbench parameters a baseline was taken with: a
// comparison across different ones is refused.
type settings struct {
	Docs       int    `json:"docs"`
	Clients    int    `json:"clients"`
	Duration   string `json:"duration"`
	Runs       int    `json:"runs"`
	Vectors    bool   `json:"vectors"`
	VectorDocs int    `json:"vector_docs,omitempty"`
}

type machine struct {
	CPUs     int    `json:"cpus"`
	CPUModel string `json:"cpu_model"`
	LoadAvg  string `json:"loadavg_before"` // /proc/loadavg when the run began
	OS       string `json:"os"`
	Go       string `json:"go"`
}

type baseline struct {
	Note     string   `json:"note"`
	Taken    string   `json:"taken"` // UTC, RFC 3339
	Commit   string   `json:"commit"`
	Machine  machine  `json:"machine"`
	Settings settings `json:"settings"`
	Figures  []figure `json:"figures"`
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/miniredis-search", "the shard binary")
	flag.StringVar(&o.searchbench, "searchbench", "bin/searchbench", "the searchbench binary (built from ../shared/tools/searchbench)")
	flag.StringVar(&o.baseline, "baseline", "bench/baseline-compare.json", "the baseline file")
	flag.IntVar(&o.docs, "docs", 20_000, "text documents")
	flag.IntVar(&o.clients, "clients", 8, "concurrent query clients")
	flag.DurationVar(&o.duration, "duration", time.Second, "run time per query kind")
	flag.IntVar(&o.runs, "runs", 1, "runs, each on a fresh shard; each figure is the median over them")
	flag.BoolVar(&o.vectors, "vectors", true, "also run searchbench -vectors -algo HNSW")
	flag.IntVar(&o.vecDocs, "vector-docs", 5_000, "vector documents")
	flag.BoolVar(&o.update, "update", os.Getenv("BENCH_COMPARE_UPDATE") == "1", "write this run as the baseline (BENCH_COMPARE_UPDATE=1)")
	flag.BoolVar(&o.strict, "strict", false, "exit 1 when a figure is flagged WORSE")
	flag.StringVar(&o.note, "note", os.Getenv("BENCH_COMPARE_NOTE"), "with -update: the baseline's note (BENCH_COMPARE_NOTE)")
	flag.Parse()
	if o.docs < 1 || o.clients < 1 || o.runs < 1 || o.duration <= 0 || o.vecDocs < 1 {
		fatalf("-docs, -clients, -runs, -duration and -vector-docs must be positive")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, o)
	stop()
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench-compare: "+format+"\n", args...)
	os.Exit(1)
}

func run(ctx context.Context, o options) error {
	for _, p := range []string{o.bin, o.searchbench} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%w (make bench-compare builds it)", err)
		}
	}
	set := settings{Docs: o.docs, Clients: o.clients, Duration: o.duration.String(), Runs: o.runs, Vectors: o.vectors}
	if o.vectors {
		set.VectorDocs = o.vecDocs
	}
	var base *baseline
	if !o.update {
		b, err := readBaseline(o.baseline)
		if err != nil {
			return fmt.Errorf("%w (BENCH_COMPARE_UPDATE=1 make bench-compare writes one)", err)
		}
		if b.Settings != set {
			return fmt.Errorf("%s was taken with %+v, this run is %+v: run with the baseline's settings, or re-take it (BENCH_COMPARE_UPDATE=1)",
				o.baseline, b.Settings, set)
		}
		base = b
	}

	mach := describeMachine()
	start := time.Now().UTC()
	var runs [][]figure
	for i := range o.runs {
		var figs []figure
		fmt.Fprintf(os.Stderr, "bench-compare: run %d/%d: searchbench -docs %d -clients %d -duration %s\n", i+1, o.runs, o.docs, o.clients, o.duration)
		f, err := benchOnce(ctx, o, []string{"-docs", strconv.Itoa(o.docs)})
		if err != nil {
			return err
		}
		figs = append(figs, f...)
		if o.vectors {
			fmt.Fprintf(os.Stderr, "bench-compare: run %d/%d: searchbench -vectors -algo HNSW -docs %d\n", i+1, o.runs, o.vecDocs)
			f, err := benchOnce(ctx, o, []string{"-vectors", "-algo", "HNSW", "-docs", strconv.Itoa(o.vecDocs), "-recall", "50"})
			if err != nil {
				return err
			}
			figs = append(figs, f...)
		}
		runs = append(runs, figs)
	}
	now := median(runs)

	if o.update {
		b := baseline{Note: o.note, Taken: start.Format(time.RFC3339), Commit: gitCommit(), Machine: mach, Settings: set, Figures: now}
		if err := writeBaseline(o.baseline, &b); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d figures, taken %s on %d × %s, load average %s)\n", o.baseline, len(now), b.Taken,
			mach.CPUs, mach.CPUModel, mach.LoadAvg)
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "figure\tunit\tvalue")
		for _, f := range now {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, f.Unit, num(f.Value))
		}
		tw.Flush()
		return nil
	}
	fmt.Printf("baseline %s: taken %s at %s on %d × %s, load average %s\n", o.baseline, base.Taken, base.Commit,
		base.Machine.CPUs, base.Machine.CPUModel, base.Machine.LoadAvg)
	if base.Note != "" {
		fmt.Printf("baseline note: %s\n", base.Note)
	}
	fmt.Printf("this run:  %s on %d × %s, load average %s; %d run(s), median\n\n", start.Format(time.RFC3339),
		mach.CPUs, mach.CPUModel, mach.LoadAvg, o.runs)
	if busy(mach) {
		fmt.Printf("warning: the load average exceeded the %d cores when this run began: other processes took CPU from it, so its rates and p99 are not comparable (server CPU per op is the least affected)\n\n", mach.CPUs)
	}
	worse := printRows(os.Stdout, compare(base.Figures, now))
	fmt.Printf("\n%d figure(s) worse than the baseline beyond their tolerance (rates ±15%%, p99 ±30%%, bytes/doc ±10%%, CPU/op ±20%%, recall ±2%%)\n", worse)
	if worse > 0 && o.strict {
		os.Exit(1)
	}
	return nil
}

// benchOnce starts a fresh shard on a free port, runs searchbench with
// args against it, and returns the report's figures. The shard is killed
// and waited for on every path, including ctx's cancellation (a signal).
func benchOnce(ctx context.Context, o options, args []string) (figs []figure, err error) {
	tmp, err := os.MkdirTemp("", "bench-compare-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	var shardLog bytes.Buffer
	shard := exec.Command(o.bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--loglevel", "warning", "--dir", tmp)
	shard.Stdout, shard.Stderr = &shardLog, &shardLog
	if err := shard.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { shard.Wait(); close(exited) }()
	defer func() {
		shard.Process.Kill()
		<-exited
		if err != nil && shardLog.Len() > 0 {
			err = fmt.Errorf("%w\nshard log:\n%s", err, tail(shardLog.String(), 2000))
		}
	}()
	if err := waitReady(ctx, addr, exited); err != nil {
		return nil, err
	}

	out := filepath.Join(tmp, "report.json")
	sbArgs := append([]string{"-addr", addr, "-clients", strconv.Itoa(o.clients), "-duration", o.duration.String(), "-json", out}, args...)
	sb := exec.CommandContext(ctx, o.searchbench, sbArgs...)
	var sbOut bytes.Buffer
	sb.Stdout, sb.Stderr = &sbOut, &sbOut
	if err := sb.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("interrupted: %w", ctx.Err())
		}
		return nil, fmt.Errorf("searchbench %s: %w\n%s", strings.Join(sbArgs, " "), err, tail(sbOut.String(), 4000))
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	return parseReport(b)
}

func waitReady(ctx context.Context, addr string, exited <-chan struct{}) error {
	rdb := redis.NewClient(&redis.Options{Addr: addr, Protocol: 2, DisableIdentity: true, MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Ping(ctx).Err() != nil {
		select {
		case <-exited:
			return errors.New("the shard exited before answering PING")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return errors.New("the shard did not answer PING within 10 s")
		}
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func readBaseline(path string) (*baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &b, nil
}

func writeBaseline(path string, b *baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func describeMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), CPUModel: "unknown", OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.LoadAvg = strings.Join(f[:3], " ")
		}
	}
	return m
}

// busy reports whether the 1-minute load average exceeded the core count
// when the run began.
func busy(m machine) bool {
	f := strings.Fields(m.LoadAvg)
	if len(f) == 0 {
		return false
	}
	l, err := strconv.ParseFloat(f[0], 64)
	return err == nil && l > float64(m.CPUs)
}

// gitCommit is HEAD's short hash, "+dirty" when the tree has changes.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(bytes.TrimSpace(st)) > 0 {
		c += "+dirty"
	}
	return c
}
