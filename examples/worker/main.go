// Command worker is an example of a team's worker deployed with
// fargateship: no port, no load balancer, no container health check
// (healthCheckCommand: []), and a scheduled job: the schedule's command
// ["report"] follows the entrypoint, so `/worker report` runs as a one-off
// task every night and exits.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

// run works until ctx is done ("work", the default), or writes one report
// and returns ("report", the scheduled job).
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	mode := "work"
	if len(args) > 0 {
		mode = args[0]
	}
	switch mode {
	case "report":
		fmt.Fprintf(stdout, "report: generated at %s for %s\n", time.Now().UTC().Format(time.RFC3339), getenv("REPORT_NAME"))
		return nil
	case "work":
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		fmt.Fprintln(stdout, "worker: started")
		for n := 1; ; n++ {
			select {
			case <-ctx.Done():
				fmt.Fprintln(stdout, "worker: stopping")
				return nil
			case <-tick.C:
				fmt.Fprintf(stdout, "worker: batch %d done\n", n)
			}
		}
	}
	return fmt.Errorf("unknown mode %q: want work or report", mode)
}
