package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/callsim/callsim/sim"
)

// paceColumns are the deals columns of the calls and turns to each
// milestone, in the order of sim.Milestones.
const paceColumns = "d.need_call, d.need_turns, d.offer_call, d.offer_turns, d.deal_call, d.deal_turns"

// paceSums gathers, per milestone, the calls and turns of the deals that
// reached it.
type paceSums struct {
	deals        int
	calls, turns [3][]int
}

// add reads one row of paceColumns (0 calls: not reached).
func (p *paceSums) add(v [6]int) {
	p.deals++
	for i := range sim.Milestones {
		if v[2*i] > 0 {
			p.calls[i] = append(p.calls[i], v[2*i])
			p.turns[i] = append(p.turns[i], v[2*i+1])
		}
	}
}

func (p *paceSums) pace(persona string) sim.PersonaPace {
	out := sim.PersonaPace{PersonaID: persona, Deals: p.deals, Milestones: make([]sim.MilestonePace, 0, len(sim.Milestones))}
	for i, m := range sim.Milestones {
		out.Milestones = append(out.Milestones, sim.MilestonePace{
			Milestone: m, Reached: len(p.calls[i]),
			MedianCalls: median(p.calls[i]), MedianTurns: median(p.turns[i]),
		})
	}
	return out
}

// Pace returns the team's median calls and turns to each milestone on one
// persona, over every deal of the team on it with an event (live ones
// included, whatever their date): the yardstick a deal's scorecard is
// shown beside.
func (s *DealService) Pace(ctx context.Context, team, personaID string) (*sim.PersonaPace, error) {
	defer s.db.observe("deal.pace", time.Now())
	rows, err := s.db.db.QueryContext(ctx, "SELECT "+paceColumns+
		" FROM deals d WHERE d.team = ? AND d.persona_id = ? AND d.last_seq > 0", team, personaID)
	if err != nil {
		return nil, fmt.Errorf("pace: %w", err)
	}
	defer rows.Close()
	var sums paceSums
	for rows.Next() {
		var v [6]int
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return nil, fmt.Errorf("pace: %w", err)
		}
		sums.add(v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pace: %w", err)
	}
	p := sums.pace(personaID)
	return &p, nil
}

// teamPace returns the pace per persona of the deals matching cond, by
// persona id.
func teamPace(ctx context.Context, tx *sql.Tx, cond string, args []any) ([]sim.PersonaPace, error) {
	rows, err := tx.QueryContext(ctx, "SELECT d.persona_id, "+paceColumns+" FROM deals d WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	per := map[string]*paceSums{}
	for rows.Next() {
		var persona string
		var v [6]int
		if err := rows.Scan(&persona, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]); err != nil {
			return nil, err
		}
		p := per[persona]
		if p == nil {
			p = &paceSums{}
			per[persona] = p
		}
		p.add(v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]sim.PersonaPace, 0, len(per))
	for persona, p := range per {
		out = append(out, p.pace(persona))
	}
	slices.SortFunc(out, func(a, b sim.PersonaPace) int { return strings.Compare(a.PersonaID, b.PersonaID) })
	return out, nil
}

// median returns the median of vs (the mean of the middle two for an even
// count) rounded to one decimal, and 0 for none.
func median(vs []int) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(vs))
	n := len(s)
	m := float64(s[n/2])
	if n%2 == 0 {
		m = float64(s[n/2-1]+s[n/2]) / 2
	}
	return math.Round(m*10) / 10
}
