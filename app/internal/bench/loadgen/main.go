// Command loadgen is the measuring half of scripts/bench-app.sh. For each
// server binary it is given, it measures start-to-ready time, sends a bounded
// number of keep-alive GET / requests over loopback, and reads RSS from /proc,
// then prints one Markdown table comparing them all.
//
// It speaks HTTP/1.1 over plain TCP connections (one per worker) rather than
// through net/http's client, so the generator itself stays cheap and the
// numbers mostly reflect the server. Not part of the image: .dockerignore
// excludes internal/.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// serverSpec is one -server flag: name=binary:readyPath.
type serverSpec struct {
	name, bin, readyPath string
}

type serverFlags []serverSpec

func (s *serverFlags) String() string { return fmt.Sprint(*s) }

func (s *serverFlags) Set(v string) error {
	name, rest, ok1 := strings.Cut(v, "=")
	bin, ready, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || !strings.HasPrefix(ready, "/") {
		return errors.New("want name=binary:/readyPath")
	}
	*s = append(*s, serverSpec{name, bin, ready})
	return nil
}

type result struct {
	name         string
	binBytes     int64
	startToReady time.Duration // median over -starts runs
	requests     int
	errors       int
	elapsed      time.Duration
	p50, p99     time.Duration
	idleRSS      int64 // kB
	loadedRSS    int64 // kB, right after the load
	peakRSS      int64 // kB, VmHWM
}

func main() {
	var servers serverFlags
	flag.Var(&servers, "server", "name=binary:/readyPath (repeatable)")
	n := flag.Int("n", 50000, "measured requests per server")
	c := flag.Int("c", 8, "concurrent keep-alive connections")
	warmup := flag.Int("warmup", 2000, "unmeasured requests before the measured ones")
	starts := flag.Int("starts", 7, "cold starts per server for start-to-ready (median reported)")
	path := flag.String("path", "/", "path to load")
	flag.Parse()
	if len(servers) == 0 {
		fmt.Fprintln(os.Stderr, "loadgen: at least one -server")
		os.Exit(2)
	}

	var results []result
	for _, s := range servers {
		r, err := bench(s, *n, *c, *warmup, *starts, *path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "loadgen: %s: %v\n", s.name, err)
			os.Exit(1)
		}
		results = append(results, r)
	}

	fmt.Printf("| server | requests/s | p50 | p99 | errors | start-to-ready (median of %d) | idle RSS | loaded RSS (peak) | stripped binary |\n", *starts)
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range results {
		fmt.Printf("| %s | %.0f | %s | %s | %d/%d | %s | %.1f MiB | %.1f MiB (%.1f MiB) | %.2f MiB (%d B) |\n",
			r.name, float64(r.requests)/r.elapsed.Seconds(), fmtDur(r.p50), fmtDur(r.p99),
			r.errors, r.requests, fmtDur(r.startToReady),
			kib(r.idleRSS), kib(r.loadedRSS), kib(r.peakRSS), float64(r.binBytes)/(1<<20), r.binBytes)
	}
}

func kib(kb int64) float64 { return float64(kb) / 1024 }

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	default:
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// start launches the server with GOMAXPROCS=1 on a free port and waits until
// readyPath answers 200; the returned duration runs from just before exec.
func start(s serverSpec) (*exec.Cmd, string, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, "", 0, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(s.bin)
	// DRAIN_DELAY=0s: the benchmark stops servers many times and measures
	// nothing during shutdown. Logs go to /dev/null, but are still encoded.
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1", "PORT="+strconv.Itoa(port), "DRAIN_DELAY=0s")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the benchmark
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, "", 0, err
	}
	deadline := t0.Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if status, err := get(addr, s.readyPath); err == nil && status == http.StatusOK {
			return cmd, addr, time.Since(t0), nil
		}
		time.Sleep(100 * time.Microsecond)
	}
	stop(cmd)
	return nil, "", 0, fmt.Errorf("not ready within 10s")
}

func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// get makes one request on a fresh connection (used only for readiness).
func get(addr, path string) (int, error) {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, addr); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// rss reads a field (VmRSS, VmHWM) in kB from /proc/pid/status.
func rss(pid int, field string) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return -1
}

func bench(s serverSpec, n, c, warmup, starts int, path string) (result, error) {
	r := result{name: s.name}
	if fi, err := os.Stat(s.bin); err == nil {
		r.binBytes = fi.Size()
	}

	var times []time.Duration
	for range starts {
		cmd, _, d, err := start(s)
		if err != nil {
			return r, err
		}
		times = append(times, d)
		stop(cmd)
	}
	slices.Sort(times)
	r.startToReady = times[len(times)/2]

	cmd, addr, _, err := start(s)
	if err != nil {
		return r, err
	}
	defer stop(cmd)
	time.Sleep(500 * time.Millisecond) // let start-up garbage settle before "idle"
	r.idleRSS = rss(cmd.Process.Pid, "VmRSS")

	if _, _, err := load(addr, path, warmup, c); err != nil {
		return r, fmt.Errorf("warm-up: %w", err)
	}
	lat, errs, err := load(addr, path, n, c)
	if err != nil {
		return r, err
	}
	r.elapsed = lat.elapsed
	r.requests = len(lat.each) // completed ones; a broken connection ends its worker early
	r.errors = errs
	r.loadedRSS = rss(cmd.Process.Pid, "VmRSS")
	r.peakRSS = rss(cmd.Process.Pid, "VmHWM")
	slices.Sort(lat.each)
	r.p50 = lat.each[len(lat.each)*50/100]
	r.p99 = lat.each[len(lat.each)*99/100]
	return r, nil
}

type latencies struct {
	each    []time.Duration
	elapsed time.Duration
}

// load sends exactly n requests over c keep-alive connections and returns
// every request's latency (write of the request to end of the body).
func load(addr, path string, n, c int) (latencies, int, error) {
	var (
		remaining atomic.Int64
		errCount  atomic.Int64
		mu        sync.Mutex
		all       = make([]time.Duration, 0, n)
		firstErr  error
		wg        sync.WaitGroup
	)
	remaining.Store(int64(n))
	req := []byte("GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUser-Agent: fargateship-loadgen\r\n\r\n")
	t0 := time.Now()
	for range c {
		wg.Go(func() {
			mine := make([]time.Duration, 0, n/c+1)
			defer func() {
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			}()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				mu.Lock()
				firstErr = err
				mu.Unlock()
				return
			}
			defer conn.Close()
			br := bufio.NewReaderSize(conn, 16<<10)
			for remaining.Add(-1) >= 0 {
				t := time.Now()
				if _, err := conn.Write(req); err != nil {
					errCount.Add(1)
					return
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					errCount.Add(1)
					return
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					errCount.Add(1)
				}
				mine = append(mine, time.Since(t))
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	if firstErr != nil {
		return latencies{}, 0, firstErr
	}
	if len(all) == 0 {
		return latencies{}, 0, errors.New("no request completed")
	}
	return latencies{each: all, elapsed: elapsed}, int(errCount.Load()), nil
}
