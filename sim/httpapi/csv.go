package httpapi

import (
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/callsim/callsim/sim"
)

var csvHeader = []string{
	"deal_id", "created_at", "updated_at", "user_id", "username", "name", "team", "persona_id",
	"scenario", "lang", "over", "outcome", "need", "offer", "deal", "price", "time", "calls",
	"turns", "score", "original_score", "overridden", "engine_version",
	"voiced_turns", "voice_dropped", "voice_ms", "voice_tokens",
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

// handleDealsCSV streams the list as CSV, a page of deals at a time read
// by cursor, so that memory stays the same however many rows it writes.
func (s *Server) handleDealsCSV(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	q := r.URL.Query()
	q.Del("limit")
	f, err := dealFilter(sess.User, q)
	if err != nil {
		return err
	}
	f.Limit = maxLimit
	// The first page is read before anything is written: a refused filter
	// or a failing store still gets an error response.
	ds, _, err := s.Deals.FindDeals(ctx, f)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="callsim-deals.csv"`)
	users := &userCache{s: s, ctx: ctx, users: map[int64]*sim.User{}}
	// A UTF-8 byte-order mark first, so that Excel reads Chinese names as
	// UTF-8; bom=0 leaves it out for tools that do not want it.
	if r.URL.Query().Get("bom") != "0" {
		io.WriteString(w, "\ufeff")
	}
	cw := csv.NewWriter(w)
	_ = cw.Write(csvHeader)
	rows := 0
	for {
		for _, d := range ds {
			if rows == maxCSVRows {
				break
			}
			if canDeal(sess.User, permView, d) {
				_ = cw.Write(csvCells(s.csvRow(d, users)))
				rows++
			}
		}
		cw.Flush()
		if rows == maxCSVRows || len(ds) < f.Limit || cw.Error() != nil {
			return nil // done, or the client went away
		}
		f.After, f.Offset = ds[len(ds)-1].ID, 0
		if ds, _, err = s.Deals.FindDeals(ctx, f); err != nil {
			if ctx.Err() == nil {
				s.Logger.Error("deals csv: read the next page", slog.Int("rows", rows), slog.Any("err", err))
			}
			// Half a file must not pass for a whole one: break the response.
			panic(http.ErrAbortHandler)
		}
	}
}

// csvCells defuses the cells of a row, in place.
func csvCells(row []string) []string {
	for i := range row {
		row[i] = csvCell(row[i])
	}
	return row
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
		strconv.Itoa(d.Summary.VoicedTurns), strconv.Itoa(d.Summary.VoiceDropped), strconv.Itoa(d.Summary.VoiceMillis), strconv.Itoa(d.Summary.VoiceTokens),
	}
}
