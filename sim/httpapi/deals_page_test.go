package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/callsim/callsim/sim"
)

// seededDeal is what the list orders read of a deal seeded by seedDeals.
type seededDeal struct {
	id, user, team, created string
	userID                  int64
	score                   int // effective
}

// seedDeals writes n deals of anna, bob (north) and sam (south) straight
// into the store's file, in one transaction, with summary columns and
// deliberate ties: three deals share each creation time and scores repeat,
// so that only the id orders some of them.
func seedDeals(tb testing.TB, e *env, n int) []seededDeal {
	tb.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", e.db.Path()+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO deals (id, user_id, team, persona_id, scenario, lang, seed,
		created_at, updated_at, last_seq, scorecard_seq, engine_version, over, furthest, outcome, score, override_score,
		calls, turns, need_call, need_turns, price_agreed, time_agreed)
		VALUES (?, ?, ?, ?, 'sales-training', 'en', 7, ?, ?, 9, 9, 'seed-1', 1, ?, ?, ?, ?, 2, 9, ?, ?, ?, 0)`)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	owners := []string{"anna", "bob", "sam"}
	start := time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC)
	out := make([]seededDeal, 0, n)
	for i := range n {
		u := e.users[owners[i%len(owners)]]
		at := start.Add(time.Duration(i/3) * time.Minute).Format("2006-01-02T15:04:05.000000000Z")
		score := (i * 37) % 11 * 10
		var override any
		if i%9 == 4 {
			override, score = 100-score, 100-score
		}
		furthest := i % 4
		needCall := min(furthest, 1)
		id := fmt.Sprintf("d_seed%05d%c", (i*7919)%100000, 'a'+rune(i%26)) // ids not in creation order
		if _, err := st.ExecContext(ctx, id, u.ID, u.Team, testPersona, at, at, furthest, []string{"none", "need", "offer", "deal"}[furthest],
			(i*37)%11*10, override, needCall, 3*needCall, furthest == 3); err != nil {
			tb.Fatal(err)
		}
		out = append(out, seededDeal{id: id, user: u.Username, team: u.Team, created: at, userID: u.ID, score: score})
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// sortedDeals returns the seeded deals in the documented order of sort.
func sortedDeals(deals []seededDeal, sort string) []string {
	ds := slices.Clone(deals)
	slices.SortFunc(ds, func(a, b seededDeal) int {
		switch sort {
		case "score":
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
		case "user":
			if c := strings.Compare(strings.ToLower(a.user), strings.ToLower(b.user)); c != 0 {
				return c
			}
		}
		return cmp.Or(strings.Compare(b.created, a.created), strings.Compare(a.id, b.id))
	})
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.id
	}
	return ids
}

// page is one answer of GET /api/v1/deals.
type page struct {
	Deals      []dealSummary `json:"deals"`
	Total      int           `json:"total"`
	Limit      int           `json:"limit"`
	NextCursor *string       `json:"next_cursor"`
}

// TestDealsCursor follows next_cursor through whole lists: every deal the
// user may see comes exactly once, in the documented order, for each sort.
func TestDealsCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all := seedDeals(t, e, 95)
	for _, tc := range []struct {
		user  string
		query string
		keep  func(seededDeal) bool
	}{
		{"coach_n", "", func(d seededDeal) bool { return d.team == "north" }},
		{"admin", "", func(seededDeal) bool { return true }},
		{"anna", "", func(d seededDeal) bool { return d.user == "anna" }},
		{"coach_n", "&user=" + itoa(e.users["bob"].ID), func(d seededDeal) bool { return d.user == "bob" }},
	} {
		for _, sort := range []string{"", "date", "score", "user"} {
			t.Run(tc.user+tc.query+"/sort="+sort, func(t *testing.T) {
				var seen []seededDeal
				for _, d := range all {
					if tc.keep(d) {
						seen = append(seen, d)
					}
				}
				want := sortedDeals(seen, sort)
				c := e.login(tc.user)
				var got []string
				cursor := ""
				for pages := 0; ; pages++ {
					if pages > len(want) {
						t.Fatalf("more pages than deals: %v", got)
					}
					var p page
					c.getJSON("/api/v1/deals?limit=7&sort="+sort+tc.query+cursor, &p)
					if p.Total != len(want) || p.Limit != 7 || len(p.Deals) > 7 {
						t.Fatalf("page %d: total %d, limit %d, %d deals; want total %d, limit 7, at most 7", pages, p.Total, p.Limit, len(p.Deals), len(want))
					}
					for _, d := range p.Deals {
						got = append(got, d.ID)
					}
					if p.NextCursor == nil {
						break
					}
					cursor = "&cursor=" + *p.NextCursor
				}
				if !slices.Equal(got, want) {
					t.Errorf("deals page by page =\n%v\nwant\n%v", got, want)
				}
				// Offsets still page the same list.
				var p page
				c.getJSON("/api/v1/deals?limit=7&offset=7&sort="+sort+tc.query, &p)
				var ids []string
				for _, d := range p.Deals {
					ids = append(ids, d.ID)
				}
				if w := want[min(7, len(want)):min(14, len(want))]; !slices.Equal(ids, w) && len(w) > 0 {
					t.Errorf("offset 7 = %v; want %v", ids, w)
				}
			})
		}
	}
}

// TestDealsBadCursor: a cursor the server did not make for this list is
// refused with 400, and tells nothing about deals the user may not see.
func TestDealsBadCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	all := seedDeals(t, e, 12)
	var north, south string
	for _, d := range all {
		if d.team == "north" && north == "" {
			north = d.id
		}
		if d.team == "south" && south == "" {
			south = d.id
		}
	}
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	coach := e.login("coach_n")
	var p page
	coach.getJSON("/api/v1/deals?limit=2&sort=score", &p)
	if p.NextCursor == nil {
		t.Fatal("no next_cursor on a first page of 2 of many deals")
	}
	for _, tc := range []struct{ name, query string }{
		{"not base64", "cursor=%21%21%21"},
		{"no deal id", "cursor=" + enc("date")},
		{"no deal id after the sort", "cursor=" + enc("date ")},
		{"another sort's cursor", "sort=date&cursor=" + *p.NextCursor},
		{"an unknown sort", "cursor=" + enc("name "+north)},
		{"an unknown deal", "cursor=" + enc("date d_nosuchdeal")},
		{"a deal of another team", "cursor=" + enc("date "+south)},
		{"a deal outside the filter", "persona=nobody&cursor=" + enc("date "+north)},
		{"with an offset", "offset=2&cursor=" + enc("date "+north)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := coach.do("GET", "/api/v1/deals?"+tc.query, nil)
			if status != http.StatusBadRequest || !strings.Contains(string(body), `"code":"invalid"`) {
				t.Errorf("GET /api/v1/deals?%s = %d %s; want 400 invalid", tc.query, status, body)
			}
			if strings.Contains(string(body), south) {
				t.Errorf("the answer names the other team's deal: %s", body)
			}
		})
	}
	if status, body := coach.do("GET", "/api/v1/deals?cursor="+enc("date "+north), nil); status != http.StatusOK {
		t.Errorf("a good cursor = %d %s; want 200", status, body)
	}
}

// oldDealsCSV is the CSV export as it was before it streamed: every page
// read by offset and kept, then written.
func oldDealsCSV(tb testing.TB, s *Server, u *sim.User, query string) []byte {
	tb.Helper()
	r := httptest.NewRequest("GET", "/api/v1/deals.csv?"+query, nil)
	q := r.URL.Query()
	q.Del("limit")
	f, err := dealFilter(u, q)
	if err != nil {
		tb.Fatal(err)
	}
	f.Limit = maxLimit
	users := &userCache{s: s, ctx: r.Context(), users: map[int64]*sim.User{}}
	var rows [][]string
	for len(rows) < maxCSVRows {
		ds, _, err := s.Deals.FindDeals(r.Context(), f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range ds {
			if canDeal(u, permView, d) && len(rows) < maxCSVRows {
				rows = append(rows, s.csvRow(d, users))
			}
		}
		if len(ds) < f.Limit {
			break
		}
		f.Offset += len(ds)
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write(csvHeader)
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return b.Bytes()
}

// pageSpy counts the pages FindDeals reads and, at each, the CSV bytes
// already written.
type pageSpy struct {
	sim.DealService
	w       *countingWriter
	written []int
}

func (p *pageSpy) FindDeals(ctx context.Context, f sim.DealFilter) ([]*sim.DealRecord, int, error) {
	p.written = append(p.written, p.w.n)
	return p.DealService.FindDeals(ctx, f)
}

// countingWriter is a ResponseWriter that keeps only how much was written.
type countingWriter struct {
	h      http.Header
	status int
	n      int
	body   *bytes.Buffer // nil: discard
}

func (w *countingWriter) Header() http.Header { return w.h }
func (w *countingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += len(b)
	if w.body != nil {
		w.body.Write(b)
	}
	return len(b), nil
}

// csvOf runs the CSV export for u on query straight through its handler
// (a big export takes a while under the race detector).
func csvOf(tb testing.TB, s *Server, u *sim.User, query string) []byte {
	tb.Helper()
	w := &countingWriter{h: http.Header{}, body: &bytes.Buffer{}}
	if err := s.handleDealsCSV(w, httptest.NewRequest("GET", "/api/v1/deals.csv?"+query, nil), &session{User: u}); err != nil {
		tb.Fatal(err)
	}
	return w.body.Bytes()
}

// TestDealsCSVStreams checks that the streamed export writes exactly the
// bytes the buffered one did, over several pages, and that each page's rows
// are written before the next page is read.
func TestDealsCSVStreams(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedDeals(t, e, 3*maxLimit+117)
	// Through the server once: the route, its headers, a filter.
	status, body := e.login("coach_s").do("GET", "/api/v1/deals.csv?outcome=deal&sort=user", nil)
	if want := oldDealsCSV(t, e.srv, e.users["coach_s"], "outcome=deal&sort=user"); status != http.StatusOK || !bytes.Equal(bytes.TrimPrefix(body, []byte("\ufeff")), want) {
		t.Fatalf("GET /api/v1/deals.csv = %d, %d bytes; want 200 and the %d bytes of the buffered export", status, len(body), len(want))
	}
	for _, tc := range []struct{ user, query string }{
		{"coach_n", ""},
		{"coach_n", "sort=score&persona=" + testPersona},
		{"coach_n", "sort=user&offset=13"},
		{"admin", "sort=date"},
		{"admin", "sort=score&outcome=need"},
	} {
		t.Run(tc.user+"?"+tc.query, func(t *testing.T) {
			got, bom := bytes.CutPrefix(csvOf(t, e.srv, e.users[tc.user], tc.query), []byte("\ufeff"))
			if !bom {
				t.Error("no UTF-8 byte-order mark")
			}
			want := oldDealsCSV(t, e.srv, e.users[tc.user], tc.query)
			if !bytes.Equal(got, want) {
				t.Fatalf("streamed CSV (%d bytes) differs from the buffered one (%d bytes)", len(got), len(want))
			}
			if rows, err := csv.NewReader(bytes.NewReader(got)).ReadAll(); err != nil || len(rows) < 2 {
				t.Errorf("CSV has %d rows, %v; want a header and deals", len(rows), err)
			}
		})
	}

	// Nothing else runs now: the handler may read through a spy.
	w := &countingWriter{h: http.Header{}}
	spy := &pageSpy{DealService: e.srv.Deals, w: w}
	e.srv.Deals = spy
	r := httptest.NewRequest("GET", "/api/v1/deals.csv", nil)
	err := e.srv.handleDealsCSV(w, r, &session{User: e.users["admin"]})
	e.srv.Deals = spy.DealService
	if err != nil {
		t.Fatal(err)
	}
	if n := len(spy.written); n != 4 {
		t.Fatalf("%d pages read for %d deals; want 4", n, 3*maxLimit+117)
	}
	for i := 1; i < len(spy.written); i++ {
		if spy.written[i] <= spy.written[i-1] {
			t.Fatalf("bytes written when each page was read = %v; want each page written before the next is read", spy.written)
		}
	}
}

// TestDealsCSVCap: an export stops at maxCSVRows deals, as the buffered one
// did.
func TestDealsCSVCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seedDeals(t, e, maxCSVRows+1)
	rows, err := csv.NewReader(bytes.NewReader(csvOf(t, e.srv, e.users["admin"], ""))).ReadAll()
	if err != nil || len(rows) != maxCSVRows+1 {
		t.Errorf("CSV of %d deals has %d rows, %v; want the header and %d deals", maxCSVRows+1, len(rows), err, maxCSVRows)
	}
}
