package verify

import (
	"context"
	"time"
)

// Clock is the time source of the rollout wait: the real clock, or in
// tests a fake one that moves only when the code under test sleeps (see
// internal/verify/ecsfake), so that a ten-minute rollout is checked without
// waiting ten minutes.
type Clock interface {
	Now() time.Time
	// Sleep returns after d, or with ctx's error when ctx ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// clockOr returns c, or the real clock when c is nil.
func clockOr(c Clock) Clock {
	if c == nil {
		return realClock{}
	}
	return c
}
