package live

import (
	"context"
	"slices"
	"sync"

	"github.com/callsim/callsim/sim"
)

// MemoryStore keeps deals in memory, for a practice session that keeps
// nothing (the terminal). It is safe for concurrent use.
type MemoryStore struct {
	mu    sync.Mutex
	deals map[string]*memDeal
}

type memDeal struct {
	rec    sim.DealRecord
	events []sim.Event
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{deals: map[string]*memDeal{}} }

func (m *MemoryStore) CreateDeal(_ context.Context, d *sim.DealRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.deals[d.ID]; ok {
		return sim.Errorf(sim.ECONFLICT, "deal %s already exists", d.ID)
	}
	d.Summary = sim.DealSummary{Outcome: "none", Pace: map[sim.Milestone]sim.DealPace{}}
	m.deals[d.ID] = &memDeal{rec: *d}
	return nil
}

func (m *MemoryStore) FindDealByID(_ context.Context, id string) (*sim.DealRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.deals[id]
	if !ok {
		return nil, sim.Errorf(sim.ENOTFOUND, "deal %s not found", id)
	}
	rec := d.rec
	return &rec, nil
}

// FindDeals filters by user and creation time only, newest first.
func (m *MemoryStore) FindDeals(_ context.Context, f sim.DealFilter) ([]*sim.DealRecord, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*sim.DealRecord
	for _, d := range m.deals {
		r := d.rec
		if f.UserID != 0 && r.UserID != f.UserID || !f.From.IsZero() && r.CreatedAt.Before(f.From) ||
			!f.To.IsZero() && !r.CreatedAt.Before(f.To) {
			continue
		}
		out = append(out, &r)
	}
	slices.SortFunc(out, func(a, b *sim.DealRecord) int { return b.CreatedAt.Compare(a.CreatedAt) })
	total := len(out)
	out = out[min(f.Offset, len(out)):]
	if f.Limit > 0 {
		out = out[:min(f.Limit, len(out))]
	}
	return out, total, nil
}

func (m *MemoryStore) Events(_ context.Context, id string) ([]sim.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.deals[id]
	if !ok {
		return nil, sim.Errorf(sim.ENOTFOUND, "deal %s not found", id)
	}
	return slices.Clone(d.events), nil
}

func (m *MemoryStore) AppendEvent(_ context.Context, id string, e sim.Event, sc *sim.Scorecard) error {
	var sum *sim.DealSummary
	if sc != nil {
		s := sc.Summary()
		sum = &s
	}
	return m.append(id, e, sum, sc)
}

// RecordVoice keeps what the voice did for event seq.
func (m *MemoryStore) RecordVoice(_ context.Context, id string, seq int, n sim.VoiceNote) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.deals[id]
	if !ok || seq < 1 || seq > len(d.events) {
		return sim.Errorf(sim.ENOTFOUND, "deal %s has no event %d", id, seq)
	}
	e := &d.events[seq-1]
	e.Shown, e.VoiceReason, e.VoiceMillis, e.VoiceTokens = n.Shown, n.Reason, n.Millis, n.Tokens
	return nil
}

func (m *MemoryStore) AppendTurn(_ context.Context, id string, e sim.Event, sum sim.DealSummary) error {
	return m.append(id, e, &sum, nil)
}

func (m *MemoryStore) append(id string, e sim.Event, sum *sim.DealSummary, sc *sim.Scorecard) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.deals[id]
	if !ok {
		return sim.Errorf(sim.ENOTFOUND, "deal %s not found", id)
	}
	if e.Seq != len(d.events)+1 {
		return sim.Errorf(sim.ECONFLICT, "deal %s: event %d is not next (last is %d)", id, e.Seq, len(d.events))
	}
	if d.rec.Over {
		return sim.Errorf(sim.ECONFLICT, "deal %s is over", id)
	}
	d.events = append(d.events, e)
	d.rec.LastSeq = e.Seq
	d.rec.Over = e.Kind == sim.EventFinish || sum != nil && sum.Over
	if sum != nil {
		d.rec.Summary = *sum
		d.rec.Score = sum.Score
	}
	if sc != nil {
		d.rec.Scorecard, d.rec.ScorecardSeq = sc, e.Seq
	}
	return nil
}
