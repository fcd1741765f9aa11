package local

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
)

// prefixer writes lines from several sources to one writer, each line
// whole and prefixed with its source's name in a column ("app    | ...").
type prefixer struct {
	mu    sync.Mutex
	w     io.Writer
	width int
}

func newPrefixer(w io.Writer, names []string) *prefixer {
	p := &prefixer{w: w}
	for _, n := range names {
		p.width = max(p.width, len(n))
	}
	return p
}

// line writes one line of name.
func (p *prefixer) line(name, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = fmt.Fprintf(p.w, "%-*s | %s\n", p.width, name, strings.TrimRight(text, "\r"))
}

// writer is an io.Writer whose every line is a line of name.
func (p *prefixer) writer(name string) io.Writer { return &lineWriter{p: p, name: name} }

type lineWriter struct {
	p    *prefixer
	name string
	buf  bytes.Buffer
}

func (lw *lineWriter) Write(b []byte) (int, error) {
	lw.buf.Write(b)
	for {
		i := bytes.IndexByte(lw.buf.Bytes(), '\n')
		if i < 0 {
			return len(b), nil
		}
		lw.p.line(lw.name, string(lw.buf.Next(i + 1)[:i]))
	}
}
