package server

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"go.uber.org/atomic"
)

// Redis' log levels, mapped onto slog levels. "notice" is slog's Info.
const (
	LevelDebug   = slog.LevelDebug
	LevelVerbose = slog.Level(-2)
	LevelNotice  = slog.LevelInfo
	LevelWarning = slog.LevelWarn
)

// logLevelByName maps the loglevel config values onto slog levels.
var logLevelByName = map[string]slog.Level{
	"debug":   LevelDebug,
	"verbose": LevelVerbose,
	"notice":  LevelNotice,
	"warning": LevelWarning,
}

// redisLogHandler writes log lines in Redis' format:
//
//	pid:role dd Mon yyyy hh:mm:ss.mmm <level-char> message key=value...
//
// with '.' for debug, '-' verbose, '*' notice and '#' warning.
type redisLogHandler struct {
	out   *logOutput
	level *atomic.Int64 // minimum slog level
	role  byte
	attrs []slog.Attr
}

// logOutput is the destination of log lines, switchable at runtime (the
// logfile parameter).
type logOutput struct {
	mu   sync.Mutex
	w    io.Writer
	file *os.File
}

func (o *logOutput) write(b []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.w != nil {
		_, _ = o.w.Write(b)
	}
}

// setFile switches to a log file ("" means the default writer).
func (o *logOutput) setFile(path string, def io.Writer) error {
	var f *os.File
	if path != "" {
		var err error
		f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.file != nil {
		o.file.Close()
	}
	o.file = f
	if f != nil {
		o.w = f
	} else {
		o.w = def
	}
	return nil
}

func (o *logOutput) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.file != nil {
		o.file.Close()
		o.file = nil
	}
	o.w = nil
}

func (h *redisLogHandler) Enabled(_ context.Context, l slog.Level) bool {
	return int64(l) >= h.level.Load()
}

func levelChar(l slog.Level) byte {
	switch {
	case l < LevelVerbose:
		return '.'
	case l < LevelNotice:
		return '-'
	case l < LevelWarning:
		return '*'
	default:
		return '#'
	}
}

var pid = strconv.Itoa(os.Getpid())

func (h *redisLogHandler) Handle(_ context.Context, r slog.Record) error {
	t := r.Time
	if t.IsZero() {
		t = time.Now()
	}
	b := make([]byte, 0, 128)
	b = append(b, pid...)
	b = append(b, ':', h.role, ' ')
	b = t.AppendFormat(b, "02 Jan 2006 15:04:05.000")
	b = append(b, ' ', levelChar(r.Level), ' ')
	b = append(b, r.Message...)
	appendAttr := func(a slog.Attr) bool {
		b = append(b, ' ')
		b = append(b, a.Key...)
		b = append(b, '=')
		v := a.Value.Resolve().String()
		b = append(b, v...)
		return true
	}
	for _, a := range h.attrs {
		appendAttr(a)
	}
	r.Attrs(appendAttr)
	b = append(b, '\n')
	h.out.write(b)
	return nil
}

func (h *redisLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append(append([]slog.Attr{}, h.attrs...), attrs...)
	return &h2
}

func (h *redisLogHandler) WithGroup(string) slog.Handler { return h }
