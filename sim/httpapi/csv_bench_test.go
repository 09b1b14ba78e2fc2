package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/callsim/callsim/sim"
)

// heapSpy records the live heap (after a collection) each time a page of
// deals is read: what the export holds at that moment.
type heapSpy struct {
	sim.DealService
	max uint64
}

func (h *heapSpy) FindDeals(ctx context.Context, f sim.DealFilter) ([]*sim.DealRecord, int, error) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.max = max(h.max, m.HeapAlloc)
	return h.DealService.FindDeals(ctx, f)
}

// BenchmarkCSV exports an admin's whole list (every deal, up to the
// 10,000-row cap) to a writer that discards it. live-heap-KB is the
// largest live heap seen when a page is read, in a separate run.
func BenchmarkCSV(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("deals=%d", n), func(b *testing.B) {
			e := newEnv(b)
			seedDeals(b, e, n)
			admin := &session{User: e.users["admin"]}
			export := func() *countingWriter {
				w := &countingWriter{h: http.Header{}}
				if err := e.srv.handleDealsCSV(w, httptest.NewRequest("GET", "/api/v1/deals.csv", nil), admin); err != nil || w.status != http.StatusOK {
					b.Fatal(w.status, err)
				}
				return w
			}
			spy := &heapSpy{DealService: e.srv.Deals}
			e.srv.Deals = spy
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			base := m.HeapAlloc
			export()
			e.srv.Deals = spy.DealService
			live := float64(spy.max-min(base, spy.max)) / 1024
			for b.Loop() {
				export()
			}
			b.ReportMetric(live, "live-heap-KB")
		})
	}
}
