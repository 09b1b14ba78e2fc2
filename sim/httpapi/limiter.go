package httpapi

import (
	"sync"
	"time"
)

// limiter counts failed logins per key (client IP, username) in fixed
// windows. It is in memory and bounded: when full it forgets expired
// entries, then arbitrary ones.
type limiter struct {
	max    int
	window time.Duration
	now    func() time.Time
	cap    int

	mu   sync.Mutex
	hits map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newLimiter(max int, win time.Duration, now func() time.Time, capacity int) *limiter {
	if max < 1 {
		max = DefaultLoginAttempts
	}
	if win <= 0 {
		win = DefaultLoginWindow
	}
	return &limiter{max: max, window: win, now: now, cap: capacity, hits: map[string]*window{}}
}

// blocked returns how long until any of keys may try again, or 0.
func (l *limiter) blocked(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		w, ok := l.hits[k]
		if !ok {
			continue
		}
		end := w.start.Add(l.window)
		if !now.Before(end) {
			delete(l.hits, k)
			continue
		}
		if w.n >= l.max && end.Sub(now) > wait {
			wait = end.Sub(now)
		}
	}
	return wait
}

// fail counts one failed attempt for each key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		w, ok := l.hits[k]
		if !ok || !now.Before(w.start.Add(l.window)) {
			l.makeRoom(now)
			w = &window{start: now}
			l.hits[k] = w
		}
		w.n++
	}
}

func (l *limiter) makeRoom(now time.Time) {
	if len(l.hits) < l.cap {
		return
	}
	for k, w := range l.hits {
		if !now.Before(w.start.Add(l.window)) {
			delete(l.hits, k)
		}
	}
	for k := range l.hits {
		if len(l.hits) < l.cap {
			return
		}
		delete(l.hits, k)
	}
}
