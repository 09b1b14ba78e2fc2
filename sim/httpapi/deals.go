package httpapi

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/callsim/callsim/sim"
)

const (
	defaultLimit = 50
	maxLimit     = 500
	maxCSVRows   = 10000
)

// dealSummary is one row of the deals list.
type dealSummary struct {
	ID            string    `json:"id"`
	UserID        int64     `json:"user_id"`
	Username      string    `json:"username"`
	UserName      string    `json:"user_name"`
	Team          string    `json:"team"`
	PersonaID     string    `json:"persona_id"`
	PersonaName   string    `json:"persona_name"`
	Scenario      string    `json:"scenario"`
	Lang          sim.Lang  `json:"lang"`
	Over          bool      `json:"over"`
	Live          bool      `json:"live"`
	InCall        bool      `json:"in_call"` // a call is in progress (to return to)
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Outcome       string    `json:"outcome"`
	Calls         int       `json:"calls"`
	Turns         int       `json:"turns"`
	Score         int       `json:"score"`
	OriginalScore int       `json:"original_score"`
	Overridden    bool      `json:"overridden"`
	EngineVersion string    `json:"engine_version,omitempty"`
	// Pace is the calls and turns the deal took to each milestone reached.
	Pace map[sim.Milestone]sim.DealPace `json:"pace"`
}

// userCache looks users up once per request.
type userCache struct {
	s     *Server
	ctx   context.Context
	users map[int64]*sim.User
}

func (c *userCache) get(id int64) *sim.User {
	if u, ok := c.users[id]; ok {
		return u
	}
	u, err := c.s.Users.FindUserByID(c.ctx, id)
	if err != nil {
		u = nil // a deleted user: the deal stays, without a name
	}
	c.users[id] = u
	return u
}

func (s *Server) summarize(d *sim.DealRecord, users *userCache) dealSummary {
	sum := dealSummary{
		ID: d.ID, UserID: d.UserID, Team: d.Team, PersonaID: d.PersonaID, Scenario: d.Scenario,
		Lang: d.Lang, Over: d.Over, Live: s.isLive(d.ID), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Outcome: "none", Score: d.Score, Pace: map[sim.Milestone]sim.DealPace{},
	}
	if u := users.get(d.UserID); u != nil {
		sum.Username, sum.UserName = u.Username, u.Name
	}
	if c := s.Catalog(); c != nil {
		if p, ok := c.Personas[d.PersonaID]; ok {
			sum.PersonaName = p.Profile.Name.In(d.Lang)
		}
	}
	if ds := d.Summary; d.LastSeq > 0 {
		if ds.Outcome != "" {
			sum.Outcome = ds.Outcome
		}
		sum.Calls, sum.Turns, sum.InCall = ds.Calls, ds.Turns, ds.InCall
		sum.OriginalScore = ds.Score
		sum.Overridden = d.Score != ds.Score
		sum.EngineVersion = ds.EngineVersion
		if ds.Pace != nil {
			sum.Pace = ds.Pace
		}
	}
	return sum
}

// dealFilter reads the list filters and narrows them to what u may see.
func dealFilter(u *sim.User, q url.Values) (sim.DealFilter, error) {
	var f sim.DealFilter
	var err error
	if v := q.Get("user"); v != "" {
		if f.UserID, err = strconv.ParseInt(v, 10, 64); err != nil || f.UserID <= 0 {
			return f, sim.Errorf(sim.EINVALID, "bad user id %q", v)
		}
	}
	if v := q.Get("team"); v != "" {
		f.Teams = []string{v}
	}
	f.PersonaID = q.Get("persona")
	if f.From, err = parseDate(q.Get("from"), false); err != nil {
		return f, err
	}
	if f.To, err = parseDate(q.Get("to"), true); err != nil {
		return f, err
	}
	switch f.Outcome = q.Get("outcome"); f.Outcome {
	case "", "none", "need", "offer", "deal":
	default:
		return f, sim.Errorf(sim.EINVALID, "bad outcome %q (want none, need, offer or deal)", f.Outcome)
	}
	switch f.Sort = q.Get("sort"); f.Sort {
	case "", "date", "score", "user":
	default:
		return f, sim.Errorf(sim.EINVALID, "bad sort %q (want date, score or user)", f.Sort)
	}
	if f.Offset, err = intParam(q, "offset", 0, 0, 1<<30); err != nil {
		return f, err
	}
	if v := q.Get("cursor"); v != "" {
		if f.Offset != 0 {
			return f, sim.Errorf(sim.EINVALID, "give a cursor or an offset, not both")
		}
		if f.After, err = parseCursor(f.Sort, v); err != nil {
			return f, err
		}
	}
	if f.Limit, err = intParam(q, "limit", defaultLimit, 1, maxLimit); err != nil {
		return f, err
	}

	switch u.Role {
	case sim.RoleTrainee:
		if f.UserID != 0 && f.UserID != u.ID {
			return f, sim.Errorf(sim.ENOTFOUND, "user not found")
		}
		if len(f.Teams) > 0 && !slices.Contains(teamsOf(u), f.Teams[0]) {
			return f, sim.Errorf(sim.EFORBIDDEN, "not your team")
		}
		f.UserID, f.Teams = u.ID, nil
	case sim.RoleCoach:
		mine := teamsOf(u)
		if len(f.Teams) > 0 && !slices.Contains(mine, f.Teams[0]) {
			return f, sim.Errorf(sim.EFORBIDDEN, "not your team")
		}
		if len(f.Teams) == 0 {
			f.Teams = mine
			if len(f.Teams) == 0 {
				// A coach without a team sees only their own practice.
				f.UserID = u.ID
			}
		}
	}
	return f, nil
}

func parseDate(v string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, sim.Errorf(sim.EINVALID, "bad date %q (want YYYY-MM-DD or RFC 3339)", v)
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, sim.Errorf(sim.EINVALID, "bad %s %q (want %d to %d)", name, v, lo, hi)
	}
	return n, nil
}

func (s *Server) handleDeals(w http.ResponseWriter, r *http.Request, sess *session) error {
	f, err := dealFilter(sess.User, r.URL.Query())
	if err != nil {
		return err
	}
	// One deal more than the page tells whether another page follows.
	page := f.Limit
	f.Limit++
	ds, total, err := s.Deals.FindDeals(r.Context(), f)
	if err != nil {
		return err
	}
	var next any // null on the last page
	if len(ds) > page {
		ds = ds[:page]
		next = dealCursor(f.Sort, ds[page-1].ID)
	}
	users := &userCache{s: s, ctx: r.Context(), users: map[int64]*sim.User{}}
	out := make([]dealSummary, 0, len(ds))
	for _, d := range ds {
		if !canDeal(sess.User, permView, d) { // belt and braces: the filter already narrowed it
			continue
		}
		out = append(out, s.summarize(d, users))
	}
	writeJSON(w, http.StatusOK, map[string]any{"deals": out, "total": total, "offset": f.Offset, "limit": page, "next_cursor": next})
	return nil
}

// dealCursor is the opaque cursor of the page after the deal id in a list
// sorted by sort: the sort and the id, so that the store seeks to the page
// (sim.DealFilter.After) and a cursor of another sort is refused.
func dealCursor(sort, id string) string {
	if sort == "" {
		sort = "date"
	}
	return base64.RawURLEncoding.EncodeToString([]byte(sort + " " + id))
}

// parseCursor returns the deal id of a cursor made by dealCursor for the
// same sort.
func parseCursor(sort, cursor string) (string, error) {
	if sort == "" {
		sort = "date"
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	cs, id, ok := strings.Cut(string(b), " ")
	if err != nil || !ok || id == "" {
		return "", sim.Errorf(sim.EINVALID, "bad cursor %q", cursor)
	}
	if cs != sort {
		return "", sim.Errorf(sim.EINVALID, "the cursor belongs to the list sorted by %s, not by %s", cs, sort)
	}
	return id, nil
}

// findDeal loads a deal that u may do p with. A deal u may not even view
// answers not found, so ids cannot be probed.
func (s *Server) findDeal(ctx context.Context, u *sim.User, p perm, id string) (*sim.DealRecord, error) {
	d, err := s.Deals.FindDealByID(ctx, id)
	if err != nil {
		if sim.ErrorCode(err) == sim.ENOTFOUND {
			return nil, sim.Errorf(sim.ENOTFOUND, "deal not found")
		}
		return nil, err
	}
	if !canDeal(u, permView, d) {
		return nil, sim.Errorf(sim.ENOTFOUND, "deal not found")
	}
	if !canDeal(u, p, d) {
		return nil, sim.Errorf(sim.EFORBIDDEN, "only a coach of the team may do this")
	}
	s.freshen(ctx, d)
	return d, nil
}

// freshen puts the deal's scorecard as of its last event into d: the live
// deal's own, or rebuilt from the events when the stored one is behind
// (turns store only the summary; a call's end stores the scorecard).
func (s *Server) freshen(ctx context.Context, d *sim.DealRecord) {
	if s.live == nil {
		return
	}
	sc, ok, err := s.live.Scorecard(ctx, d)
	if err != nil {
		s.Logger.Warn("rebuild scorecard; showing the stored one", slog.String("deal", d.ID), slog.Any("err", err))
		return
	}
	if ok {
		d.Scorecard = sc
	}
}

func (s *Server) handleDeal(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	d, err := s.findDeal(ctx, sess.User, permView, r.PathValue("id"))
	if err != nil {
		return err
	}
	comments, err := s.Deals.Comments(ctx, d.ID)
	if err != nil {
		return err
	}
	overrides, err := s.Deals.Overrides(ctx, d.ID)
	if err != nil {
		return err
	}
	if comments == nil {
		comments = []*sim.Comment{}
	}
	if overrides == nil {
		overrides = []*sim.Override{}
	}
	resp := map[string]any{
		"deal":      s.summarize(d, &userCache{s: s, ctx: ctx, users: map[int64]*sim.User{}}),
		"scorecard": viewScorecard(sess.User, d.Scorecard),
		"comments":  comments,
		"overrides": overrides,
		"persona":   nil,
	}
	if p, ok := s.catalogPersona(d.PersonaID); ok {
		resp["persona"] = s.viewPersona(sess.User, p)
	}
	// The team's pace on the same persona, for the scorecard's comparison.
	pace, err := s.Deals.Pace(ctx, d.Team, d.PersonaID)
	if err != nil {
		return err
	}
	resp["team_pace"] = pace
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) handleComment(w http.ResponseWriter, r *http.Request, sess *session) error {
	d, err := s.findDeal(r.Context(), sess.User, permCoach, r.PathValue("id"))
	if err != nil {
		return err
	}
	var req struct {
		Call int    `json:"call"`
		Turn int    `json:"turn"`
		Text string `json:"text"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	req.Text = strings.TrimSpace(req.Text)
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > 4000 {
		return sim.Errorf(sim.EINVALID, "text must have 1 to 4000 characters")
	}
	if !hasTurn(d.Scorecard, req.Call, req.Turn) {
		return sim.Errorf(sim.EINVALID, "the deal has no turn %d in call %d", req.Turn, req.Call)
	}
	c := &sim.Comment{DealID: d.ID, Call: req.Call, Turn: req.Turn, AuthorID: sess.User.ID,
		Author: sess.User.Username, Text: req.Text, CreatedAt: s.now()}
	if err := s.Deals.AddComment(r.Context(), c); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"comment": c})
	return nil
}

func hasTurn(sc *sim.Scorecard, call, turn int) bool {
	if sc == nil {
		return false
	}
	for _, t := range sc.Transcript {
		if t.Call == call && t.Turn == turn {
			return true
		}
	}
	return false
}

func (s *Server) handleOverride(w http.ResponseWriter, r *http.Request, sess *session) error {
	d, err := s.findDeal(r.Context(), sess.User, permCoach, r.PathValue("id"))
	if err != nil {
		return err
	}
	var req struct {
		Score  *int   `json:"score"`
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Score == nil || *req.Score < 0 || *req.Score > 100 {
		return sim.Errorf(sim.EINVALID, "score must be 0 to 100")
	}
	req.Reason = strings.TrimSpace(req.Reason)
	if n := utf8.RuneCountInString(req.Reason); n == 0 || n > 2000 {
		return sim.Errorf(sim.EINVALID, "a reason of 1 to 2000 characters is required")
	}
	if d.Scorecard == nil {
		return sim.Errorf(sim.ECONFLICT, "the deal has no scorecard yet")
	}
	o := &sim.Override{DealID: d.ID, AuthorID: sess.User.ID, Author: sess.User.Username,
		Score: *req.Score, Reason: req.Reason, CreatedAt: s.now()}
	if err := s.Deals.AddOverride(r.Context(), o); err != nil {
		return err
	}
	s.NotifyOverride(r.Context(), d.ID)
	writeJSON(w, http.StatusCreated, map[string]any{"override": o})
	return nil
}
