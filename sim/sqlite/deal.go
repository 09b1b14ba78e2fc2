package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/callsim/callsim/sim"
)

var _ sim.DealService = (*DealService)(nil)

// DealService stores deals, their events and scorecards, coaches' comments
// and overrides, and computes team stats.
type DealService struct {
	db *DB
}

// NewDealService returns a DealService backed by db.
func NewDealService(db *DB) *DealService { return &DealService{db: db} }

// NewDealID returns a random, unguessable deal id: "d_" and 26 base32
// characters (128 bits).
func NewDealID() string { return "d_" + idEncoding.EncodeToString(randomBytes(16)) }

// Outcomes a DealFilter may ask for.
var outcomes = map[string]bool{"": true, "none": true, "need": true, "offer": true, "deal": true, "qualified_out": true}

// CreateDeal stores a new deal. It sets d.ID (unless given), d.CreatedAt
// and d.UpdatedAt, and d.Team to the trainee's team when empty. The deal
// has no event and no scorecard yet.
func (s *DealService) CreateDeal(ctx context.Context, d *sim.DealRecord) error {
	defer s.db.observe("deal.create", time.Now())
	if d.PersonaID == "" {
		return fmt.Errorf("create deal: %w", sim.Errorf(sim.EINVALID, "deal needs a persona"))
	}
	if !d.Lang.Valid() {
		return fmt.Errorf("create deal: %w", sim.Errorf(sim.EINVALID, "unknown language %q (want zh or en)", d.Lang))
	}
	if d.ID == "" {
		d.ID = NewDealID()
	}
	// The new deal's row is written by the one writer, in the batch of
	// the turns being committed.
	now := s.db.now()
	r := &appendReq{ctx: ctx, dealID: d.ID, create: d, createdAt: now}
	if err := s.db.commits.submit(r); err != nil {
		return fmt.Errorf("create deal: %w", err)
	}
	d.CreatedAt, d.UpdatedAt = now, now
	d.Over, d.Scorecard, d.Score = false, nil, 0
	d.LastSeq, d.ScorecardSeq = 0, 0
	d.Summary = sim.DealSummary{Outcome: "none", Pace: map[sim.Milestone]sim.DealPace{}}
	return nil
}

// dealColumns are read by scanDeal, from deals d: the deal, its summary
// and, when withCard, its stored scorecard.
func dealColumns(withCard bool) string {
	card := "NULL"
	if withCard {
		card = "d.scorecard"
	}
	return `d.id, d.user_id, d.team, d.persona_id, d.scenario, d.lang, d.seed, d.over,
	d.created_at, d.updated_at, ` + card + `, COALESCE(d.override_score, d.score),
	d.voiced_turns, d.voice_dropped, d.voice_ms, d.voice_tokens,
	d.last_seq, d.scorecard_seq, d.engine_version, d.persona_version, d.outcome, d.furthest, d.score, d.calls, d.turns, d.in_call, d.price_agreed, d.time_agreed, ` + paceColumns
}

// scanDeal scans dealColumns.
func scanDeal(r scanner) (*sim.DealRecord, error) {
	var d sim.DealRecord
	var lang string
	var sc sql.NullString
	var pace [6]int
	s := &d.Summary
	if err := r.Scan(&d.ID, &d.UserID, &d.Team, &d.PersonaID, &d.Scenario, &lang, &d.Seed, &d.Over,
		scanTime(&d.CreatedAt), scanTime(&d.UpdatedAt), &sc, &d.Score,
		&s.VoicedTurns, &s.VoiceDropped, &s.VoiceMillis, &s.VoiceTokens,
		&d.LastSeq, &d.ScorecardSeq, &s.EngineVersion, &s.PersonaVersion, &s.Outcome, &s.Furthest, &s.Score, &s.Calls, &s.Turns, &s.InCall, &s.Price, &s.Time,
		&pace[0], &pace[1], &pace[2], &pace[3], &pace[4], &pace[5]); err != nil {
		return nil, err
	}
	s.Over = d.Over
	s.Pace = map[sim.Milestone]sim.DealPace{}
	for i, m := range sim.Milestones {
		if pace[2*i] > 0 {
			s.Pace[m] = sim.DealPace{Call: pace[2*i], Turns: pace[2*i+1]}
		}
	}
	d.Lang = sim.Lang(lang)
	if sc.Valid {
		d.Scorecard = new(sim.Scorecard)
		if err := json.Unmarshal([]byte(sc.String), d.Scorecard); err != nil {
			return nil, fmt.Errorf("deal %s: stored scorecard: %w", d.ID, err)
		}
	}
	return &d, nil
}

// FindDealByID returns a deal with its latest scorecard and effective
// score, or ENOTFOUND.
func (s *DealService) FindDealByID(ctx context.Context, id string) (*sim.DealRecord, error) {
	defer s.db.observe("deal.find", time.Now())
	d, err := scanDeal(s.db.db.QueryRowContext(ctx, "SELECT "+dealColumns(true)+" FROM deals d WHERE d.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find deal: %w", sim.Errorf(sim.ENOTFOUND, "deal %s not found", id))
	} else if err != nil {
		return nil, fmt.Errorf("find deal: %w", err)
	}
	return d, nil
}

// FindDeals returns one page of the deals matching f, with their
// summaries (not their scorecards), and how many match in all. f.From is
// inclusive and f.To exclusive (creation time). Sort "date" (the default)
// puts the newest first, "score" the highest effective score first, "user"
// orders by username, then newest first; every order ends with the deal id,
// so that it is total. Limit 0 means no limit.
//
// With f.After, the page starts right after that deal in the order
// (keyset paging: a deep page costs what the first does); the deal must
// match the filter, else EINVALID. Offset counts on from there.
func (s *DealService) FindDeals(ctx context.Context, f sim.DealFilter) ([]*sim.DealRecord, int, error) {
	defer s.db.observe("deal.find_many", time.Now())
	if !outcomes[f.Outcome] {
		return nil, 0, fmt.Errorf("find deals: %w", sim.Errorf(sim.EINVALID, "unknown outcome %q (want none, need, offer, deal or qualified_out)", f.Outcome))
	}
	if f.Offset < 0 || f.Limit < 0 {
		return nil, 0, fmt.Errorf("find deals: %w", sim.Errorf(sim.EINVALID, "offset and limit must not be negative"))
	}
	by, ok := dealSorts[f.Sort]
	if !ok {
		return nil, 0, fmt.Errorf("find deals: %w", sim.Errorf(sim.EINVALID, "unknown sort %q (want date, score or user)", f.Sort))
	}
	where, args := dealWhere(f.Teams, f.From, f.To)
	if f.UserID != 0 {
		where, args = append(where, "d.user_id = ?"), append(args, f.UserID)
	}
	if f.PersonaID != "" {
		where, args = append(where, "d.persona_id = ?"), append(args, f.PersonaID)
	}
	if f.Outcome != "" {
		where, args = append(where, "d.outcome = ?"), append(args, f.Outcome)
	}
	cond := strings.Join(where, " AND ")

	// One read transaction: the page and the total see the same data.
	tx, err := s.db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	defer tx.Rollback()
	// The total costs an index-only count for a team's list: its indexes
	// hold every filter column (migration 0004).
	var total int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM deals d WHERE "+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	if f.Sort == "score" && (!f.From.IsZero() || !f.To.IsZero()) && total <= shortList {
		// Few deals in the dates: sorting them from the date index costs
		// little, where walking the score index could pass the team's every
		// other deal before it found them.
		by = scoreSort("+" + effectiveScore)
	}
	pageCond, pageArgs := cond, slices.Clone(args)
	if f.After != "" {
		var key dealKey
		err := tx.QueryRowContext(ctx, `SELECT d.id, d.created_at, `+effectiveScore+`, u.username_key
			FROM deals d JOIN users u ON u.id = d.user_id WHERE d.id = ? AND `+cond, append([]any{f.After}, args...)...).
			Scan(&key.id, &key.created, &key.score, &key.user)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, 0, fmt.Errorf("find deals: %w", sim.Errorf(sim.EINVALID, "the deal to continue after is not in this list (deleted, or another filter)"))
		} else if err != nil {
			return nil, 0, fmt.Errorf("find deals: %w", err)
		}
		pageCond += " AND " + by.after
		pageArgs = append(pageArgs, by.afterArgs(key)...)
	}
	limit := f.Limit
	if limit == 0 {
		limit = -1 // SQLite: no limit
	}
	// The page's deals are picked from an index in the sort order; only
	// they are then read from the table (reading a row's summary columns
	// means reading through the stored scorecard before them).
	users := ""
	if by.users {
		users = " JOIN users u ON u.id = d.user_id"
	}
	rows, err := tx.QueryContext(ctx, "SELECT d.rowid FROM deals d"+users+" WHERE "+pageCond+" ORDER BY "+by.order+" LIMIT ? OFFSET ?",
		append(pageArgs, limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	at := map[int64]int{} // rowid → place on the page
	for rows.Next() {
		var rowid int64
		if err := rows.Scan(&rowid); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("find deals: %w", err)
		}
		at[rowid] = len(at)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	deals := make([]*sim.DealRecord, len(at))
	if len(at) == 0 {
		return deals, total, nil
	}
	list, err := json.Marshal(slices.Collect(maps.Keys(at)))
	if err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	rows, err = tx.QueryContext(ctx, "SELECT d.rowid, "+dealColumns(false)+
		" FROM deals d WHERE d.rowid IN (SELECT value FROM json_each(?))", string(list))
	if err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rowid int64
		d, err := scanDeal(rowidScanner{rows, &rowid})
		if err != nil {
			return nil, 0, fmt.Errorf("find deals: %w", err)
		}
		deals[at[rowid]] = d
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find deals: %w", err)
	}
	if slices.Contains(deals, nil) {
		return nil, 0, fmt.Errorf("find deals: a deal of the page vanished within its transaction")
	}
	return deals, total, nil
}

// rowidScanner scans a row's rowid, then the columns scanDeal reads.
type rowidScanner struct {
	r     scanner
	rowid *int64
}

func (s rowidScanner) Scan(dest ...any) error { return s.r.Scan(append([]any{s.rowid}, dest...)...) }

// dealKey is where a deal stands in each of FindDeals' orders.
type dealKey struct {
	id, created, user string // user: the username key
	score             int    // the effective score
}

// dealSort is one of FindDeals' orders and the condition for the deals
// after a given one in it. The expressions are those of the indexes of
// migration 0004, so that SQLite walks an index in this order and seeks
// to where a page starts.
type dealSort struct {
	order     string
	after     string
	afterArgs func(k dealKey) []any
	users     bool // the order needs users u
}

var dealSorts = map[string]dealSort{
	"":      dateSort,
	"date":  dateSort,
	"score": scoreSort(effectiveScore),
	"user": {
		order: "u.username_key, d.created_at DESC, d.id",
		after: `u.username_key >= ? AND NOT (u.username_key = ?
			AND (d.created_at > ? OR d.created_at = ? AND d.id <= ?))`,
		afterArgs: func(k dealKey) []any { return []any{k.user, k.user, k.created, k.created, k.id} },
		users:     true,
	},
}

// effectiveScore is the SQL of a deal's effective score, as indexed.
const effectiveScore = "COALESCE(d.override_score, d.score)"

// shortList is how many deals a dated list sorted by score may hold for
// FindDeals to sort them rather than walk the score index.
const shortList = 500

// scoreSort orders by the score expression score, highest first. With
// effectiveScore SQLite walks deals_team_score; with "+"+effectiveScore
// (the same values) it cannot, and sorts what another index finds.
func scoreSort(score string) dealSort {
	return dealSort{
		order: score + " DESC, d.created_at DESC, d.id",
		after: score + " <= ? AND NOT (" + score + ` = ?
			AND (d.created_at > ? OR d.created_at = ? AND d.id <= ?))`,
		afterArgs: func(k dealKey) []any { return []any{k.score, k.score, k.created, k.created, k.id} },
	}
}

var dateSort = dealSort{
	order:     "d.created_at DESC, d.id",
	after:     "d.created_at <= ? AND NOT (d.created_at = ? AND d.id <= ?)",
	afterArgs: func(k dealKey) []any { return []any{k.created, k.created, k.id} },
}

// dealWhere returns the conditions on deals d for teams (none: every
// team) and creation times in [from, to) (zero: unbounded).
func dealWhere(teams []string, from, to time.Time) ([]string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	if len(teams) > 0 {
		where = append(where, "d.team IN ("+placeholders(len(teams))+")")
		for _, t := range teams {
			args = append(args, t)
		}
	}
	if !from.IsZero() {
		where, args = append(where, "d.created_at >= ?"), append(args, formatTime(from))
	}
	if !to.IsZero() {
		where, args = append(where, "d.created_at < ?"), append(args, formatTime(to))
	}
	return where, args
}

// validEvent checks an event's kind and fields.
func validEvent(e sim.Event) error {
	switch e.Kind {
	case sim.EventDial:
		if _, err := sim.ParseMilestone(string(e.Goal)); err != nil {
			return err
		}
	case sim.EventSay, sim.EventHangup, sim.EventFinish:
	default:
		return sim.Errorf(sim.EINVALID, "unknown event kind %q", e.Kind)
	}
	if e.Seq < 1 {
		return sim.Errorf(sim.EINVALID, "event seq must be at least 1, not %d", e.Seq)
	}
	return nil
}

// AppendEvent commits e as event e.Seq of the deal together with the
// scorecard after it (nil keeps the previous one), in one transaction.
// e.Seq must follow the last stored event by exactly one, else ECONFLICT,
// so two writers racing for the same seq cannot both win. A deal that is
// over takes no more events (ECONFLICT). Appends from all deals are
// committed together by the database's one writer, one fsync per batch;
// AppendEvent returns once the batch holding e has committed.
func (s *DealService) AppendEvent(ctx context.Context, dealID string, e sim.Event, sc *sim.Scorecard) error {
	defer s.db.observe("deal.append_event", time.Now())
	r, err := newAppend(ctx, dealID, e, nil, sc, s.db.now())
	if err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	return s.db.commits.submit(r)
}

// RecordVoice stores what the LLM voice did for the customer's answer to
// event seq: the words shown, why a rewording was dropped, how long it took.
func (s *DealService) RecordVoice(ctx context.Context, dealID string, seq int, n sim.VoiceNote) error {
	defer s.db.observe("deal.record_voice", time.Now())
	if err := s.db.commits.submit(&appendReq{ctx: ctx, dealID: dealID, e: sim.Event{Seq: seq}, voice: &n}); err != nil {
		return fmt.Errorf("record shown: %w", err)
	}
	return nil
}

// AppendTurn commits e as AppendEvent does, with the deal's summary after
// it instead of a whole scorecard: the stored scorecard stays the one of an
// earlier event, and is rebuilt from the events when read.
func (s *DealService) AppendTurn(ctx context.Context, dealID string, e sim.Event, sum sim.DealSummary) error {
	defer s.db.observe("deal.append_turn", time.Now())
	r, err := newAppend(ctx, dealID, e, &sum, nil, s.db.now())
	if err != nil {
		return fmt.Errorf("append turn: %w", err)
	}
	return s.db.commits.submit(r)
}

// furthestNames names the values of deals.furthest.
var furthestNames = [...]string{"none", "need", "offer", "deal"}

// furthestMilestone is 0 when no milestone was reached, else 1 + the index
// of the last milestone reached (need, offer, deal).
func furthestMilestone(sc *sim.Scorecard) int {
	furthest := 0
	for i, m := range sim.Milestones {
		if r := sc.Milestones[m]; r != nil && r.Reached {
			furthest = i + 1
		}
	}
	return furthest
}

// Events returns a deal's events in order, or ENOTFOUND for an unknown deal.
func (s *DealService) Events(ctx context.Context, dealID string) ([]sim.Event, error) {
	defer s.db.observe("deal.events", time.Now())
	tx, err := s.db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer tx.Rollback()
	if err := dealExists(ctx, tx, dealID); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT seq, kind, goal, text, at, shown, voice_reason, voice_ms, voice_tokens FROM events WHERE deal_id = ? ORDER BY seq", dealID)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	events := []sim.Event{}
	for rows.Next() {
		var e sim.Event
		var kind, goal string
		if err := rows.Scan(&e.Seq, &kind, &goal, &e.Text, scanTime(&e.At), &e.Shown, &e.VoiceReason, &e.VoiceMillis, &e.VoiceTokens); err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		e.Kind, e.Goal = sim.EventKind(kind), sim.Milestone(goal)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return events, nil
}

// dealExists returns ENOTFOUND unless the deal exists.
func dealExists(ctx context.Context, q querier, dealID string) error {
	var one int
	err := q.QueryRowContext(ctx, "SELECT 1 FROM deals WHERE id = ?", dealID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return sim.Errorf(sim.ENOTFOUND, "deal %s not found", dealID)
	}
	return err
}
