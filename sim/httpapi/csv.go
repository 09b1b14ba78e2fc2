package httpapi

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/callsim/callsim/sim"
)

var csvHeader = []string{
	"deal_id", "created_at", "updated_at", "user_id", "username", "name", "team", "persona_id",
	"scenario", "lang", "over", "outcome", "need", "offer", "deal", "price", "time", "calls",
	"turns", "score", "original_score", "overridden", "engine_version",
}

// csvCell defuses a cell a spreadsheet would run as a formula.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func (s *Server) handleDealsCSV(w http.ResponseWriter, r *http.Request, sess *session) error {
	q := r.URL.Query()
	q.Del("limit")
	f, err := dealFilter(sess.User, q)
	if err != nil {
		return err
	}
	f.Limit = maxLimit
	users := &userCache{s: s, ctx: r.Context(), users: map[int64]*sim.User{}}
	var rows [][]string
	for len(rows) < maxCSVRows {
		ds, _, err := s.Deals.FindDeals(r.Context(), f)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if canDeal(sess.User, permView, d) && len(rows) < maxCSVRows {
				rows = append(rows, s.csvRow(d, users))
			}
		}
		if len(ds) < f.Limit {
			break
		}
		f.Offset += len(ds)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="callsim-deals.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader)
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return nil
}

func (s *Server) csvRow(d *sim.DealRecord, users *userCache) []string {
	sum := s.summarize(d, users)
	reached := func(m sim.Milestone) string {
		_, ok := d.Summary.Pace[m]
		return strconv.FormatBool(ok)
	}
	price, tm := d.Summary.Price, d.Summary.Time
	return []string{
		sum.ID, sum.CreatedAt.UTC().Format(time.RFC3339), sum.UpdatedAt.UTC().Format(time.RFC3339),
		strconv.FormatInt(sum.UserID, 10), sum.Username, sum.UserName, sum.Team, sum.PersonaID,
		sum.Scenario, string(sum.Lang), strconv.FormatBool(sum.Over), sum.Outcome,
		reached(sim.MilestoneNeed), reached(sim.MilestoneOffer), reached(sim.MilestoneDeal),
		strconv.FormatBool(price), strconv.FormatBool(tm), strconv.Itoa(sum.Calls),
		strconv.Itoa(sum.Turns), strconv.Itoa(sum.Score), strconv.Itoa(sum.OriginalScore),
		strconv.FormatBool(sum.Overridden), sum.EngineVersion,
	}
}
